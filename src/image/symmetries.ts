/**
 * The 8 flips and 90° rotations of a plane: training augments with them (train/batches.ts) and
 * test-time augmentation averages over them (infer/segment-crops.ts).
 */

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
