/**
 * Augmentation that keeps the label rule (label 1 = the smaller chromosome): the 8 flips and
 * 90° rotations (image/symmetries.ts) move pixels without changing any area, and grey changes
 * touch no label.
 */
import { OVERLAP } from "../classes.js";
import type { Random } from "../random.js";

/** Scales grey values by one random factor in [1 − amount, 1 + amount], clipped at 255. */
export function jitterGrey(grey: Uint8Array, amount: number, random: Random): void {
  const factor = 1 + amount * (2 * random() - 1);
  for (let i = 0; i < grey.length; i++) grey[i] = Math.min(255, Math.round(grey[i] * factor));
}

/**
 * Multiplies the grey of the overlap pixels (label 3) by `factor`. Generated pairs sum the two
 * chromosomes' grey, so their overlaps are about twice as bright as one chromosome; real crossings
 * measure about 1.4× (jpp21-m1's X: 130–140 against 90–105). A model that only learned "brighter
 * = overlap" fails on them; dimming the overlap in training makes it use the shapes.
 */
export function scaleOverlapGrey(
  grey: Uint8Array,
  labels: ArrayLike<number>,
  factor: number,
): void {
  for (let i = 0; i < grey.length; i++) {
    if (labels[i] === OVERLAP) grey[i] = Math.round(grey[i] * factor);
  }
}
