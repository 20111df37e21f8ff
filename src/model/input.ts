/**
 * What the network sees: grey values scaled to 0–1, padded (never resized) to a multiple of the
 * model's size divisor. Training, evaluation and inference all go through these functions.
 */

/** Grey value 0–255 → network input. */
export function normalizeGrey(value: number): number {
  return value / 255;
}

/** The smallest multiple of `divisor` that holds `size`. */
export function padUp(size: number, divisor: number): number {
  return Math.ceil(size / divisor) * divisor;
}

/**
 * Copies `height` × `width` planes into `paddedHeight` × `paddedWidth` ones, anchored at the top left
 * (the padding is on the bottom and right, filled with `fill`). `target` must hold count planes.
 */
export function padPlanes<T extends Uint8Array | Float32Array>(
  source: ArrayLike<number>,
  count: number,
  height: number,
  width: number,
  paddedHeight: number,
  paddedWidth: number,
  target: T,
  convert: (value: number) => number = (v) => v,
): T {
  for (let s = 0; s < count; s++) {
    for (let y = 0; y < height; y++) {
      const from = (s * height + y) * width;
      const to = (s * paddedHeight + y) * paddedWidth;
      for (let x = 0; x < width; x++) target[to + x] = convert(source[from + x]);
    }
  }
  return target;
}

/** The inverse of `padPlanes`: the top-left `height` × `width` of each padded plane. */
export function cropPlanes(
  padded: Uint8Array,
  count: number,
  paddedHeight: number,
  paddedWidth: number,
  height: number,
  width: number,
): Uint8Array {
  const out = new Uint8Array(count * height * width);
  for (let s = 0; s < count; s++) {
    for (let y = 0; y < height; y++) {
      const from = (s * paddedHeight + y) * paddedWidth;
      out.set(padded.subarray(from, from + width), (s * height + y) * width);
    }
  }
  return out;
}

/**
 * Same-sized 8-bit planes → the network's input [planes.length, height, width, 1]: normalised
 * and padded to `height` × `width`.
 */
export function normalizedBatch(
  planes: readonly { width: number; height: number; data: ArrayLike<number> }[],
  height: number,
  width: number,
): Float32Array {
  const input = new Float32Array(planes.length * height * width);
  planes.forEach((plane, k) =>
    padPlanes(
      plane.data,
      1,
      plane.height,
      plane.width,
      height,
      width,
      input.subarray(k * height * width),
      normalizeGrey,
    ),
  );
  return input;
}
