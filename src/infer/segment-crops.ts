/**
 * Crop mode: grey images at the training resolution → labels 0–3 per pixel. Each crop is padded
 * to a multiple of the model's size divisor and cropped back; crops of one size share batches.
 */
import { NUM_CLASSES } from "../classes.js";
import { nameByArea, namesSwapped } from "../data/name-by-area.js";
import type { ChromosomeNaming } from "../data/name-by-area.js";
import { chromosomeNaming } from "../onnx/metadata.js";
import type { GreyImage } from "../image/grey-image.js";
import { normalizedBatch, padUp } from "../model/input.js";
import { SYMMETRIES, transformPlane } from "../image/symmetries.js";
import type { Symmetry } from "../image/symmetries.js";
import type { OnnxModel } from "../onnx/onnx-model.js";
import { labelsOf, mostProbable } from "../model/probabilities.js";

export interface CropOptions {
  /** Test-time augmentation: probabilities averaged over the 8 flips and rotations. Default off. */
  tta?: boolean;
  /** Crops per inference run. Default 32. */
  batchSize?: number;
  /**
   * Who names chromosomes A and B: `area` renames each crop (each view, with test-time
   * augmentation) so that A is the smaller. Default: the model's own (its metadata).
   */
  naming?: ChromosomeNaming;
}

/** Labels of each crop, [height, width] in the crop's own size, in the order given. */
export async function segmentCrops(
  model: OnnxModel,
  crops: GreyImage[],
  options: CropOptions = {},
): Promise<Uint8Array[]> {
  const batchSize = options.batchSize ?? 32;
  const byArea = (options.naming ?? chromosomeNaming(model.metadata)) === "area";
  if (!options.tta) {
    // One pass: each pixel's label straight from the model's output, no sums to keep.
    const labels: Uint8Array[] = [];
    const views = crops.map((image, crop) => ({ crop, image, source: null }));
    for (const group of groupBySize(views)) {
      await forEachPrediction(model, group, batchSize, (view, probabilities, at) => {
        labels[view.crop] = viewLabels(view, probabilities, at);
      });
    }
    if (byArea) labels.forEach(nameByArea);
    return labels;
  }
  const sums = crops.map((c) => new Float32Array(c.width * c.height * NUM_CLASSES));
  for (const symmetry of SYMMETRIES) {
    const views = crops.map((crop, k) => ({ crop: k, ...symmetryView(crop, symmetry) }));
    for (const group of groupBySize(views)) {
      await forEachPrediction(model, group, batchSize, (view, probabilities, at) =>
        addView(sums[view.crop], view, probabilities, at, byArea),
      );
    }
  }
  const labels = sums.map(labelsOf);
  if (byArea) labels.forEach(nameByArea);
  return labels;
}

/**
 * Adds a view's probabilities to its crop's sums, at the crop's pixels. With `byArea`, a view
 * whose most probable labels name the larger chromosome A adds its A and B channels swapped:
 * views of one crop may name its chromosomes differently, and averaging them unnamed would blur
 * the two together.
 */
export function addView(
  sum: Float32Array,
  view: View,
  probabilities: Float32Array,
  at: Placement,
  byArea: boolean,
): void {
  const { width, height } = view.image;
  const channel = byArea && namesSwapped(viewLabels(view, probabilities, at)) ? SWAPPED : SAME;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const from = (at.offset + y * at.rowStride + x) * NUM_CLASSES;
      const to = (view.source ? view.source[y * width + x] : y * width + x) * NUM_CLASSES;
      for (let c = 0; c < NUM_CLASSES; c++) sum[to + channel[c]] += probabilities[from + c];
    }
  }
}

const SAME = [0, 1, 2, 3];
const SWAPPED = [0, 2, 1, 3];

/** The most probable labels of one view. */
function viewLabels(view: View, probabilities: Float32Array, at: Placement): Uint8Array {
  const { width, height } = view.image;
  const labels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      labels[y * width + x] = mostProbable(probabilities, at.offset + y * at.rowStride + x);
  return labels;
}

/** A crop seen through a symmetry, with where each of its pixels came from. */
export interface View {
  crop: number;
  image: GreyImage;
  /** source[k]: the crop's pixel index at the view's pixel k; null for the crop itself. */
  source: Uint32Array | null;
}

function symmetryView(crop: GreyImage, symmetry: Symmetry): Omit<View, "crop"> {
  if (symmetry === SYMMETRIES[0]) return { image: crop, source: null };
  const identity = Uint32Array.from({ length: crop.width * crop.height }, (_, k) => k);
  const source = new Uint32Array(identity.length);
  const size = transformPlane(identity, crop.height, crop.width, symmetry, source);
  const data = new Uint8Array(source.length);
  for (let k = 0; k < source.length; k++) data[k] = crop.data[source[k]];
  return { image: { width: size.width, height: size.height, data }, source };
}

function groupBySize(views: View[]): View[][] {
  const groups = new Map<string, View[]>();
  for (const view of views) {
    const key = `${view.image.height}x${view.image.width}`;
    const group = groups.get(key);
    if (group) group.push(view);
    else groups.set(key, [view]);
  }
  return [...groups.values()];
}

/** Where a view's pixels are in its batch's padded output: (y, x) is pixel offset + y × rowStride + x. */
export interface Placement {
  offset: number;
  rowStride: number;
}

/**
 * Runs same-sized views in batches of `batchSize`; calls `use` with each view, its batch's
 * probabilities and where the view is in them.
 */
async function forEachPrediction(
  model: OnnxModel,
  views: View[],
  batchSize: number,
  use: (view: View, probabilities: Float32Array, at: Placement) => void,
): Promise<void> {
  const { width, height } = views[0].image;
  const divisor = model.metadata.input.sizeDivisor;
  const paddedHeight = padUp(height, divisor);
  const paddedWidth = padUp(width, divisor);
  for (let start = 0; start < views.length; start += batchSize) {
    const batch = views.slice(start, start + batchSize);
    const input = normalizedBatch(
      batch.map((view) => view.image),
      paddedHeight,
      paddedWidth,
    );
    const probabilities = await model.probabilities(input, batch.length, paddedHeight, paddedWidth);
    batch.forEach((view, b) =>
      use(view, probabilities, { offset: b * paddedHeight * paddedWidth, rowStride: paddedWidth }),
    );
  }
}
