/**
 * Augmentation that keeps the label rule (label 1 = the smaller chromosome): the 8 flips and
 * 90° rotations move pixels without changing any area, and grey changes touch no label.
 */
import { OVERLAP } from "../classes.js";
import type { Random } from "../random.js";

/**
 * One of the 8 symmetries of a rectangle (the dihedral group D4), as three independent choices:
 * swap rows and columns, then mirror columns, then mirror rows. 0 is the identity.
 */
export interface Symmetry {
  transpose: boolean;
  flipX: boolean;
  flipY: boolean;
}

export const SYMMETRIES: readonly Symmetry[] = Array.from({ length: 8 }, (_, k) => ({
  transpose: (k & 1) !== 0,
  flipX: (k & 2) !== 0,
  flipY: (k & 4) !== 0,
}));

/**
 * Writes `symmetry` applied to the `height` × `width` plane `source` into `target`; returns the
 * target's size (height and width swap under a transpose).
 */
export function transformPlane<T extends Uint8Array | Uint32Array>(
  source: ArrayLike<number>,
  height: number,
  width: number,
  symmetry: Symmetry,
  target: T,
): { height: number; width: number } {
  const outHeight = symmetry.transpose ? width : height;
  const outWidth = symmetry.transpose ? height : width;
  for (let y = 0; y < outHeight; y++) {
    for (let x = 0; x < outWidth; x++) {
      let sy = symmetry.transpose ? x : y;
      let sx = symmetry.transpose ? y : x;
      if (symmetry.flipY) sy = height - 1 - sy;
      if (symmetry.flipX) sx = width - 1 - sx;
      target[y * outWidth + x] = source[sy * width + sx];
    }
  }
  return { height: outHeight, width: outWidth };
}

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
