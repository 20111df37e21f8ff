/**
 * Halving the resolution the way the public dataset was made: keep every second row and column
 * (no smoothing), so label and mask values stay what they were.
 */

/** The plane with rows and columns 0, 2, 4 … of `plane` (width × height, row-major). */
export function decimatePlane(
  plane: Uint8Array,
  width: number,
  height: number,
): { width: number; height: number; data: Uint8Array } {
  const outWidth = Math.ceil(width / 2);
  const outHeight = Math.ceil(height / 2);
  const data = new Uint8Array(outWidth * outHeight);
  for (let y = 0; y < outHeight; y++)
    for (let x = 0; x < outWidth; x++) data[y * outWidth + x] = plane[2 * y * width + 2 * x];
  return { width: outWidth, height: outHeight, data };
}
