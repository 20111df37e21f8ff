/**
 * Gaussian smoothing computed as scipy.ndimage.gaussian_filter computes it (mode 'reflect', in
 * float64), in the same order of floating-point operations. The weights can still differ from
 * numpy's in the last bit, because Math.exp and numpy's exp (itself CPU-dependent) round a few
 * arguments differently: results then differ by about 1e-14, far below what could change a
 * comparison with 8-bit pixels (on the published slide the nearest pixel is 3e-8 from its mean).
 */

/** scipy's default: the kernel reaches truncate · sigma pixels either side. */
export const DEFAULT_TRUNCATE = 4;

/**
 * scipy's `_gaussian_kernel1d(sigma, 0, radius)`: exp(−x² / 2σ²) for x = −radius … radius,
 * divided by its sum (summed pairwise, as numpy sums).
 */
export function gaussianKernel(sigma: number, radius: number): Float64Array {
  const factor = -0.5 / (sigma * sigma);
  const kernel = new Float64Array(2 * radius + 1);
  for (let x = -radius; x <= radius; x++) kernel[x + radius] = Math.exp(factor * (x * x));
  const sum = pairwiseSum(kernel, 0, kernel.length);
  for (let i = 0; i < kernel.length; i++) kernel[i] /= sum;
  return kernel;
}

/** numpy's pairwise summation (8 accumulators per block of up to 128, halves above). */
function pairwiseSum(values: Float64Array, start: number, n: number): number {
  if (n < 8) {
    let sum = -0;
    for (let i = start; i < start + n; i++) sum += values[i];
    return sum;
  }
  if (n <= 128) {
    const r = Array.from(values.subarray(start, start + 8));
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] += values[start + i + j];
    let sum = r[0] + r[1] + (r[2] + r[3]) + (r[4] + r[5] + (r[6] + r[7]));
    for (; i < n; i++) sum += values[start + i];
    return sum;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return pairwiseSum(values, start, half) + pairwiseSum(values, start + half, n - half);
}

/**
 * `scipy.ndimage.gaussian_filter(image, sigma, mode='reflect', truncate=truncate)` into float64:
 * the 1-D kernel of radius int(truncate · sigma + 0.5) along the columns, then along the rows,
 * the image extended by mirroring about its edge (d c b a | a b c d | d c b a).
 */
export function gaussianFilter(
  image: { width: number; height: number; data: ArrayLike<number> },
  sigma: number,
  truncate = DEFAULT_TRUNCATE,
): Float64Array {
  const { width, height, data } = image;
  const radius = Math.trunc(truncate * sigma + 0.5);
  const kernel = gaussianKernel(sigma, radius);
  const columns = new Float64Array(width * height);
  const line = new Float64Array(Math.max(width, height));
  const smoothed = new Float64Array(Math.max(width, height));
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) line[y] = data[y * width + x];
    correlateSymmetric(line, height, kernel, radius, smoothed);
    for (let y = 0; y < height; y++) columns[y * width + x] = smoothed[y];
  }
  const out = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    line.set(columns.subarray(y * width, (y + 1) * width));
    correlateSymmetric(line, width, kernel, radius, smoothed);
    out.set(smoothed.subarray(0, width), y * width);
  }
  return out;
}

/**
 * scipy's NI_Correlate1D for a symmetric kernel, in its order of operations: the centre term,
 * then (left + right) · weight from the outermost pair inwards.
 */
function correlateSymmetric(
  line: Float64Array,
  length: number,
  kernel: Float64Array,
  radius: number,
  out: Float64Array,
): void {
  const extended = new Float64Array(length + 2 * radius);
  for (let i = 0; i < extended.length; i++) extended[i] = line[reflect(i - radius, length)];
  for (let i = 0; i < length; i++) {
    const centre = i + radius;
    let sum = extended[centre] * kernel[radius];
    for (let j = radius; j > 0; j--)
      sum += (extended[centre - j] + extended[centre + j]) * kernel[radius - j];
    out[i] = sum;
  }
}

/** The index `i` maps to in a line of `length` mirrored about its edges (scipy's 'reflect'). */
function reflect(i: number, length: number): number {
  const period = 2 * length;
  const k = ((i % period) + period) % period;
  return k < length ? k : period - 1 - k;
}
