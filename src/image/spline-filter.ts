/**
 * The cubic B-spline prefilter of scipy.ndimage (spline_filter, order 3): the coefficients whose
 * cubic B-spline passes through the samples, so that interpolating them reproduces the image at
 * whole pixels. Computed as scipy computes it (ni_splines.c), operation for operation, so that
 * rotated pixels round the same way: each axis in turn (rows' axis first), the gain, then one
 * causal and one anticausal recursion with the mirror-symmetric boundary that scipy uses for the
 * 'mirror', 'nearest' and 'constant' modes.
 */

/** The pole of the cubic B-spline filter: √3 − 2, the double scipy's literal rounds to. */
const POLE = -0.2679491924311227;
const GAIN = (1 - POLE) * (1 - 1 / POLE);

/** The spline coefficients of a height × width plane (row-major), as float64. */
export function cubicSplineCoefficients(
  plane: ArrayLike<number>,
  width: number,
  height: number,
): Float64Array {
  const coefficients = Float64Array.from(plane);
  const line = new Float64Array(Math.max(width, height));
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) line[y] = coefficients[y * width + x];
    filterLine(line, height);
    for (let y = 0; y < height; y++) coefficients[y * width + x] = line[y];
  }
  for (let y = 0; y < height; y++) {
    const row = coefficients.subarray(y * width, (y + 1) * width);
    filterLine(row, width);
  }
  return coefficients;
}

/** Filters the first n values of `c` in place; a line of one sample is left as it is. */
function filterLine(c: Float64Array, n: number): void {
  if (n <= 1) return;
  const z = POLE;
  for (let i = 0; i < n; i++) c[i] *= GAIN;
  // causal initial value for a mirror-symmetric extension
  let zi = z;
  const zn1 = Math.pow(z, n - 1);
  c[0] = c[0] + zn1 * c[n - 1];
  for (let i = 1; i < n - 1; i++) {
    c[0] += zi * (c[i] + zn1 * c[n - 1 - i]);
    zi *= z;
  }
  c[0] /= 1 - zn1 * zn1;
  for (let i = 1; i < n; i++) c[i] += z * c[i - 1];
  // anticausal initial value
  c[n - 1] = ((z * c[n - 2] + c[n - 1]) * z) / (z * z - 1);
  for (let i = n - 2; i >= 0; i--) c[i] = z * (c[i + 1] - c[i]);
}
