/**
 * Slide mode: a whole metaphase image → a label map at full resolution. The chromosome finder of
 * the generator picks out the objects; nuclei and debris are skipped; every other object (single,
 * cluster, or cut by the border) is cut out as the generator cuts chromosomes (background-
 * corrected grey inside its mask), brought to the training resolution by the same decimation
 * (÷ 2), segmented in crop mode, and its labels scaled back ×2 into its mask.
 */
import type { ClassName } from "../classes.js";
import { NUM_CLASSES, OVERLAP, byClass } from "../classes.js";
import { findChromosomes } from "../generate/find-chromosomes.js";
import type { ObjectKind } from "../generate/find-chromosomes.js";
import { decimatePlane } from "../image/decimate.js";
import type { GreyImage } from "../image/grey-image.js";
import type { Box } from "../image/morphology.js";
import type { OnnxModel } from "./onnx-model.js";
import { segmentCrops } from "./segment-crops.js";
import type { CropOptions } from "./segment-crops.js";

/** Black border around each decimated object, as a chromosome has in a training sample. */
const MARGIN = 8;

/**
 * An object counts as overlapping when at least this fraction of it is labelled overlap: a real
 * crossing covers 5–15 % of the pair, while a few stray overlap pixels on the rim of a single
 * chromosome stay well under 2 %.
 */
export const OVERLAP_FRACTION = 0.02;

const SKIPPED: readonly ObjectKind[] = ["nucleus", "debris"];

export interface SlideObjectReport {
  /** The finder's id, 1-based in scan order. */
  id: number;
  /** What the finder took it for (cluster: several chromosomes touching or crossing). */
  kind: ObjectKind;
  /** Full-resolution pixels, x1 and y1 exclusive. */
  box: Box;
  area: number;
  /** Nuclei and debris are not segmented. */
  segmented: boolean;
  /** Overlap covers at least OVERLAP_FRACTION of the object (null when not segmented). */
  overlapping: boolean | null;
  /** Full-resolution pixels per predicted class inside the object (null when not segmented). */
  pixels: Record<ClassName, number> | null;
}

export interface SlideSegmentation {
  /** Labels 0–3, slide-sized. */
  labels: Uint8Array;
  objects: SlideObjectReport[];
  /** Milliseconds spent finding objects. */
  findMs: number;
}

export async function segmentSlide(
  model: OnnxModel,
  slide: GreyImage,
  options: CropOptions = {},
): Promise<SlideSegmentation> {
  const started = performance.now();
  const found = findChromosomes(slide);
  const findMs = performance.now() - started;
  const chosen = found.objects.flatMap((object, k) =>
    SKIPPED.includes(object.kind) ? [] : [{ object, cut: found.cutOuts[k] }],
  );
  const frames = chosen.map(({ cut }) => framed(decimatePlane(cut.grey, cut.width, cut.height)));
  const frameLabels = await segmentCrops(model, frames, options);
  const labels = new Uint8Array(slide.width * slide.height);
  const reports = new Map<number, SlideObjectReport>();
  chosen.forEach(({ object, cut }, k) => {
    const counts = new Array<number>(NUM_CLASSES).fill(0);
    const frameWidth = frames[k].width;
    for (let y = 0; y < cut.height; y++) {
      for (let x = 0; x < cut.width; x++) {
        if (!cut.mask[y * cut.width + x]) continue;
        const label = frameLabels[k][(MARGIN + (y >> 1)) * frameWidth + MARGIN + (x >> 1)];
        labels[(object.box.y0 + y) * slide.width + object.box.x0 + x] = label;
        counts[label]++;
      }
    }
    reports.set(object.id, {
      ...objectSummary(object),
      segmented: true,
      overlapping: counts[OVERLAP] >= OVERLAP_FRACTION * object.area,
      pixels: byClass(counts),
    });
  });
  const objects = found.objects.map(
    (o) =>
      reports.get(o.id) ?? {
        ...objectSummary(o),
        segmented: false,
        overlapping: null,
        pixels: null,
      },
  );
  return { labels, objects, findMs };
}

function objectSummary(o: { id: number; kind: ObjectKind; box: Box; area: number }) {
  return { id: o.id, kind: o.kind, box: o.box, area: o.area };
}

/** The plane with MARGIN black pixels on every side. */
function framed(plane: { width: number; height: number; data: Uint8Array }): GreyImage {
  const width = plane.width + 2 * MARGIN;
  const height = plane.height + 2 * MARGIN;
  const data = new Uint8Array(width * height);
  for (let y = 0; y < plane.height; y++)
    data.set(
      plane.data.subarray(y * plane.width, (y + 1) * plane.width),
      (y + MARGIN) * width + MARGIN,
    );
  return { width, height, data };
}
