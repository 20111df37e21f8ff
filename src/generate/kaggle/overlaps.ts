/**
 * Steps 6–8 of the published recipe (docs/dataset-recipe.md; the notebook's generator_tools.py): a
 * pair's two chromosomes, each turned to five angles, laid over each other at nine relative places.
 */
import { rotatePlane } from "../../image/spline-rotate.js";
import { clipToLabels, emptyLabelledImage } from "./labelled-image.js";
import type { LabelledImage } from "./labelled-image.js";

/** The notebook's `np.arange(0, 180, 40)`: a half turn in steps of 40°. */
export const ROTATION_DEGREES = [0, 40, 80, 120, 160] as const;
/** The notebook's `np.linspace(0, 1, 5)[1:-1]`, for rows and columns alike. */
export const SHIFT_FRACTIONS = [0.25, 0.5, 0.75] as const;
/** Merged images per pair: 5 × 5 rotations, 3 × 3 shifts. */
export const CANDIDATES_PER_PAIR = ROTATION_DEGREES.length ** 2 * SHIFT_FRACTIONS.length ** 2;

/** A selected chromosome as step 5 leaves it: grey 0–255, 0 outside the chromosome. */
export interface ChromosomeImage {
  width: number;
  height: number;
  /** width × height, row-major. */
  grey: Uint8Array;
}

/**
 * Steps 6 and 7 for one chromosome: labelled `label` where its grey is above 0, cut to that box
 * (add_mask_to_image, clip_img_to_bounding_box), then turned by each of ROTATION_DEGREES, both
 * planes by the same cubic spline, and cut to the box of the turned labels above 0.
 */
export function rotatedViews(chromosome: ChromosomeImage, label: number): LabelledImage[] {
  const { width, height } = chromosome;
  const image = emptyLabelledImage(width, height);
  chromosome.grey.forEach((value, i) => {
    image.grey[i] = value;
    image.labels[i] = value > 0 ? label : 0;
  });
  const upright = clipToLabels(image);
  return ROTATION_DEGREES.map((degrees) => {
    const turn = (data: Int32Array) =>
      rotatePlane({ width: upright.width, height: upright.height, data }, degrees);
    const grey = turn(upright.grey);
    const labels = turn(upright.labels);
    return clipToLabels({
      width: grey.width,
      height: grey.height,
      grey: grey.data,
      labels: labels.data,
    });
  });
}

/**
 * Step 8 (merge_and_roll): on a canvas of (hB + 2·hA) × (wB + 2·wA), B at row hA + 1, column
 * wA + 1, and A at row trunc(u · (height − hA)), column trunc(v · (width − wA)) (the notebook puts
 * A at the corner and np.roll's it there; the shift never wraps, as it is at most
 * ¾ · (hA + hB) rows and A has hA of the canvas's hB + 2·hA). Grey values and labels are added;
 * the sum is cut to the box of its labels above 0.
 */
export function mergeAndRoll(
  a: LabelledImage,
  b: LabelledImage,
  u: number,
  v: number,
): LabelledImage {
  const height = b.height + 2 * a.height;
  const width = b.width + 2 * a.width;
  const canvas = emptyLabelledImage(width, height);
  addAt(canvas, b, a.height + 1, a.width + 1);
  addAt(canvas, a, Math.trunc(u * (height - a.height)), Math.trunc(v * (width - a.width)));
  return clipToLabels(canvas);
}

/**
 * The pair's CANDIDATES_PER_PAIR merged images in the notebook's order: A's angle, then B's,
 * then the row shift, then the column shift.
 */
export function* pairCandidates(
  viewsA: LabelledImage[],
  viewsB: LabelledImage[],
): Generator<LabelledImage> {
  for (const a of viewsA)
    for (const b of viewsB)
      for (const u of SHIFT_FRACTIONS)
        for (const v of SHIFT_FRACTIONS) yield mergeAndRoll(a, b, u, v);
}

function addAt(canvas: LabelledImage, image: LabelledImage, top: number, left: number): void {
  for (let y = 0; y < image.height; y++) {
    const from = y * image.width;
    const to = (top + y) * canvas.width + left;
    for (let x = 0; x < image.width; x++) {
      canvas.grey[to + x] += image.grey[from + x];
      canvas.labels[to + x] += image.labels[from + x];
    }
  }
}
