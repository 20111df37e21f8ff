/**
 * Evaluation of a segmentation model on a set of samples: pooled metrics (the papers' IoU), mean
 * per-image IoU, and a picture of the worst samples. Any model fits that maps samples to labels.
 * Beside the figures for the model's own naming of the two chromosomes, it measures the other
 * naming and an oracle that names each image the better way, which separates naming errors
 * (A and B swapped as wholes) from separation errors (pieces of one chromosome called the other).
 */
import { agreementBothWays, nameByArea, swapChromosomeLabels } from "../data/name-by-area.js";
import type { ChromosomeNaming } from "../data/name-by-area.js";
import type { SampleSet } from "../data/samples.js";
import { renderSheet } from "../render/contact-sheet.js";
import type { Panel } from "../render/contact-sheet.js";
import { Confusion, imageMeanIoU } from "../train/metrics.js";
import type { PerClass } from "../classes.js";
import type { SegmentationMetrics } from "../train/metrics.js";

/** Predicts labels 0–3 for the samples `indices` of `set`: [indices.length, height, width]. */
export type LabelPredictor = (
  set: SampleSet,
  indices: Uint32Array,
  onProgress?: (done: number, total: number) => void,
) => Promise<Uint8Array>;

export interface Evaluation extends SegmentationMetrics {
  samples: number;
  /** How the figures above name the two chromosomes: the model's own way. */
  naming: ChromosomeNaming;
  /**
   * Pooled IoU per class under each naming: `network`, the predicted labels as they came; `area`,
   * renamed so that A is the smaller chromosome; `oracle`, for every image the better of the
   * prediction and its A↔B swap (the most any naming could reach).
   */
  namings: Record<ChromosomeNaming | "oracle", PerClass>;
  /** Mean over samples of each sample's mean IoU (over the classes present in its truth or prediction). */
  meanPerImageIoU: number;
  /** The samples with the lowest per-image IoU, worst first (dataset indices). */
  worst: { sample: number; meanIoU: number }[];
}

export interface EvaluationResult {
  evaluation: Evaluation;
  /** Predicted labels of every evaluated sample, in the order of `indices`. */
  predicted: Uint8Array;
  /** Positions in `indices` of the worst samples, worst first. */
  worstPositions: number[];
}

export interface EvaluateOptions {
  /** The model's naming: which labels the headline figures, pictures and worst samples use. @default "network" */
  naming?: ChromosomeNaming;
  /** Samples in the picture of the worst. @default 16 */
  worst?: number;
  onProgress?: (done: number, total: number) => void;
}

/** `predict` gives the network's labels as they came; naming by area happens here. */
export async function evaluateSamples(
  set: SampleSet,
  indices: Uint32Array,
  predict: LabelPredictor,
  options: EvaluateOptions = {},
): Promise<EvaluationResult> {
  const naming = options.naming ?? "network";
  const raw = await predict(set, indices, options.onProgress);
  const px = set.height * set.width;
  const confusions = { network: new Confusion(), area: new Confusion(), oracle: new Confusion() };
  const predicted = naming === "area" ? new Uint8Array(raw.length) : raw;
  const perImage = new Float64Array(indices.length);
  const image = new Uint8Array(px);
  for (let k = 0; k < indices.length; k++) {
    const truth = set.labels.subarray(indices[k] * px, (indices[k] + 1) * px);
    image.set(raw.subarray(k * px, (k + 1) * px));
    confusions.network.add(truth, image);
    const { asNamed, swapped } = agreementBothWays(truth, image);
    if (swapped > asNamed) swapChromosomeLabels(image);
    confusions.oracle.add(truth, image);
    image.set(raw.subarray(k * px, (k + 1) * px));
    nameByArea(image);
    confusions.area.add(truth, image);
    if (naming === "area") predicted.set(image, k * px);
    perImage[k] = imageMeanIoU(truth, predicted.subarray(k * px, (k + 1) * px));
  }
  const worstPositions = Array.from(perImage.keys())
    .sort((a, b) => perImage[a] - perImage[b] || a - b)
    .slice(0, options.worst ?? 16);
  return {
    evaluation: {
      samples: indices.length,
      naming,
      namings: {
        network: confusions.network.metrics().iou,
        area: confusions.area.metrics().iou,
        oracle: confusions.oracle.metrics().iou,
      },
      ...confusions[naming].metrics(),
      meanPerImageIoU: perImage.reduce((a, b) => a + b, 0) / indices.length,
      worst: worstPositions.map((k) => ({ sample: indices[k], meanIoU: perImage[k] })),
    },
    predicted,
    worstPositions,
  };
}

/** Positions of `count` samples spread evenly over `total` evaluated ones: a fair look at typical predictions. */
export function spreadPositions(total: number, count = 16): number[] {
  const n = Math.min(count, total);
  return Array.from({ length: n }, (_, k) => Math.floor((k * total) / n));
}

/**
 * A PNG grid of evaluated samples, four to a row, each as input, truth, prediction and the wrong
 * pixels in red. `positions` index `indices` (and the predictions), such as `worstPositions`.
 */
export async function renderSamples(
  set: SampleSet,
  indices: Uint32Array,
  result: EvaluationResult,
  positions: number[],
): Promise<Buffer> {
  const px = set.height * set.width;
  const cells: Panel[][] = positions.map((k) => {
    const s = indices[k];
    const truth = set.labels.subarray(s * px, (s + 1) * px);
    const predicted = result.predicted.subarray(k * px, (k + 1) * px);
    return [
      { grey: set.grey.subarray(s * px, (s + 1) * px) },
      { labels: truth },
      { labels: predicted },
      { truth, predicted },
    ];
  });
  return renderSheet(cells, set.height, set.width, { columns: 4, scale: 2 });
}
