import { NUM_CLASSES } from "../classes.js";
import { UserError } from "../errors.js";

/**
 * What to do with label values outside 0–3 (the public file has a few 4s):
 * - `strict`: refuse the file, with the count;
 * - `clip`: set them to background;
 * - `clean`: set them to background, then re-assign isolated one-pixel specks (a pixel none of
 *   whose 8 neighbours shares its label) to their neighbours' majority label.
 */
export type LabelPolicy = "strict" | "clip" | "clean";
export const LABEL_POLICIES: readonly LabelPolicy[] = ["strict", "clip", "clean"];

/** How many label pixels a policy changed. */
export interface LabelCleaning {
  /** Pixels whose label was outside 0–3, set to background. */
  outOfRange: number;
  /** Isolated one-pixel specks re-assigned to their neighbours' majority label. */
  specks: number;
}

export function emptyCleaning(): LabelCleaning {
  return { outOfRange: 0, specks: 0 };
}

export function addCleaning(total: LabelCleaning, part: LabelCleaning): void {
  total.outOfRange += part.outOfRange;
  total.specks += part.specks;
}

/**
 * Applies `policy` in place to the labels of `count` samples of `height` × `width`.
 * `source` names the file in the strict policy's error.
 */
export function applyLabelPolicy(
  labels: Uint8Array,
  count: number,
  height: number,
  width: number,
  policy: LabelPolicy,
  source: string,
): LabelCleaning {
  let outOfRange = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] >= NUM_CLASSES) {
      outOfRange++;
      if (policy !== "strict") labels[i] = 0;
    }
  }
  if (policy === "strict" && outOfRange > 0) {
    throw new UserError(
      `${source}: ${outOfRange} label pixels are outside 0–3; use --labels clip or clean to set them to background`,
    );
  }
  let specks = 0;
  if (policy === "clean") {
    const px = height * width;
    for (let s = 0; s < count; s++) {
      specks += reassignSpecks(labels.subarray(s * px, (s + 1) * px), height, width);
    }
  }
  return { outOfRange, specks };
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
