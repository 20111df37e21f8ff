import { NUM_CLASSES } from "../classes.js";
import { UserError } from "../errors.js";

/**
 * What to do with label values that are not a whole number 0–3 (the public file has a few 4s):
 * - `strict`: refuse the file, with the count of each kind;
 * - `clip`: set them to background;
 * - `clean`: set them to background, then re-assign isolated one-pixel specks (a pixel none of
 *   whose 8 neighbours shares its label) to their neighbours' majority label.
 */
export type LabelPolicy = "strict" | "clip" | "clean";
export const LABEL_POLICIES: readonly LabelPolicy[] = ["strict", "clip", "clean"];

/** How many label pixels a policy changed (under `strict`: found, before refusing). */
export interface LabelCleaning {
  /** Whole-number labels above 3, set to background. */
  outOfRange: number;
  /** Negative labels, set to background. */
  negative: number;
  /** Labels with a fractional part, set to background. */
  fractional: number;
  /** NaN labels, set to background. */
  notANumber: number;
  /** Isolated one-pixel specks re-assigned to their neighbours' majority label. */
  specks: number;
}

export function emptyCleaning(): LabelCleaning {
  return { outOfRange: 0, negative: 0, fractional: 0, notANumber: 0, specks: 0 };
}

/**
 * Counts a stored label value that is not a whole number ≥ 0 by its kind. The reader stores
 * such pixels as background before the policy runs: they have no byte of their own.
 */
export function countNonWholeLabel(value: number, cleaning: LabelCleaning): void {
  if (Number.isNaN(value)) cleaning.notANumber++;
  else if (value < 0) cleaning.negative++;
  else cleaning.fractional++;
}

/** Pixels whose stored label was not a whole number 0–3. */
function nonClassPixels(cleaning: LabelCleaning): number {
  return cleaning.outOfRange + cleaning.negative + cleaning.fractional + cleaning.notANumber;
}

/** The kinds found, e.g. `2 above 3, 1 NaN`. */
function nonClassKinds(cleaning: LabelCleaning): string {
  const kinds: [number, string][] = [
    [cleaning.outOfRange, "above 3"],
    [cleaning.negative, "negative"],
    [cleaning.fractional, "fractional"],
    [cleaning.notANumber, "NaN"],
  ];
  return kinds
    .filter(([count]) => count > 0)
    .map(([count, kind]) => `${count} ${kind}`)
    .join(", ");
}

/** What a policy changed, in words, e.g. `3 label pixels not 0–3 (2 above 3, 1 NaN) set to background, 5 isolated specks re-assigned`. */
export function describeCleaning(cleaning: LabelCleaning): string {
  const found = nonClassPixels(cleaning);
  const kinds = found > 0 ? ` (${nonClassKinds(cleaning)})` : "";
  return `${found} label pixels not 0–3${kinds} set to background, ${cleaning.specks} isolated specks re-assigned`;
}

/**
 * Applies `policy` in place to the labels of `count` samples of `height` × `width`, adding what
 * it changed to `cleaning`. Under `strict` it changes nothing: see `refuseNonClassLabels`.
 */
export function applyLabelPolicy(
  labels: Uint8Array,
  count: number,
  height: number,
  width: number,
  policy: LabelPolicy,
  cleaning: LabelCleaning,
): void {
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] >= NUM_CLASSES) {
      cleaning.outOfRange++;
      if (policy !== "strict") labels[i] = 0;
    }
  }
  if (policy === "clean") {
    const px = height * width;
    for (let s = 0; s < count; s++) {
      cleaning.specks += reassignSpecks(labels.subarray(s * px, (s + 1) * px), height, width);
    }
  }
}

/** Throws, naming `source`, when `strict` found labels that are not a whole number 0–3. */
export function refuseNonClassLabels(cleaning: LabelCleaning, source: string): void {
  const found = nonClassPixels(cleaning);
  if (found === 0) return;
  throw new UserError(
    `${source}: ${found} label pixels are not 0–3 (${nonClassKinds(cleaning)}); use --labels clip or clean to set them to background`,
  );
}

/**
 * Re-assigns every pixel that shares its label with none of its 8 neighbours to the label most
 * of them have (ties go to the lower label). Decisions read the labels as they were before this
 * pass, so the result does not depend on scan order. Returns how many pixels changed.
 */
export function reassignSpecks(labels: Uint8Array, height: number, width: number): number {
  const before = labels.slice();
  const votes = new Int32Array(NUM_CLASSES);
  let changed = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const own = before[i];
      // Fast path: most pixels share their label with a horizontal neighbour.
      if ((x > 0 && before[i - 1] === own) || (x < width - 1 && before[i + 1] === own)) continue;
      votes.fill(0);
      let neighbours = 0;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if ((dx === 0 && dy === 0) || xx < 0 || xx >= width) continue;
          votes[before[yy * width + xx]]++;
          neighbours++;
        }
      }
      if (neighbours === 0 || votes[own] > 0) continue;
      let best = 0;
      for (let c = 1; c < NUM_CLASSES; c++) if (votes[c] > votes[best]) best = c;
      labels[i] = best;
      changed++;
    }
  }
  return changed;
}
