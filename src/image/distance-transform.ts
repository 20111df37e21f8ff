/**
 * Exact Euclidean distance of each pixel to the nearest background pixel of the image, as
 * scipy.ndimage.distance_transform_bf computes it (background is 0 and pixels outside the image
 * do not count as background): the square root of the least squared distance, computed by
 * columns then rows.
 */

/** Distances for a width × height mask (non-zero = object); 0 on the background. */
export function distanceToBackground(
  mask: ArrayLike<number>,
  width: number,
  height: number,
): Float64Array {
  const down = new Float64Array(width * height); // distance along the column to the background
  for (let x = 0; x < width; x++) {
    let last = -Infinity;
    for (let y = 0; y < height; y++) {
      if (!mask[y * width + x]) last = y;
      down[y * width + x] = y - last;
    }
    last = Infinity;
    for (let y = height - 1; y >= 0; y--) {
      if (!mask[y * width + x]) last = y;
      const i = y * width + x;
      down[i] = Math.min(down[i], last - y);
    }
  }
  const distances = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (!mask[row + x]) continue;
      let best = Infinity;
      for (let other = 0; other < width; other++) {
        const dx = x - other;
        const squared = dx * dx + down[row + other] * down[row + other];
        if (squared < best) best = squared;
      }
      distances[row + x] = Math.sqrt(best);
    }
  }
  return distances;
}
