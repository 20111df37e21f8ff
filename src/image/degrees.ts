/**
 * Cosine and sine of an angle in degrees as scipy.special.cosdg / sindg compute them (Cephes),
 * which scipy.ndimage.rotate uses: exact at multiples of 90°, and a few ulps away from
 * Math.cos(x · π / 180) elsewhere (cosdg(40) = 0.7660444431189781, Math.cos gives …780), which
 * is enough to move a rotated pixel across a rounding boundary.
 */

// Cephes' coefficients (sindg.c), written as the doubles their 21-digit literals round to
const SIN_COEFFICIENTS = [
  1.5896230157221844e-10, -2.5050747762850355e-8, 2.7557313621385676e-6, -1.984126982958954e-4,
  8.333333333322118e-3, -1.666666666666663e-1,
];
const COS_COEFFICIENTS = [
  1.1367817138204455e-11, -2.0875883375768363e-9, 2.7557315542981663e-7, -2.480158729361863e-5,
  1.3888888888880667e-3, -4.166666666666664e-2, 0.5,
];
const RADIANS_PER_DEGREE = 0.017453292519943295;

export function cosDegrees(degrees: number): number {
  return octantFunction(Math.abs(degrees), 1, true);
}

export function sinDegrees(degrees: number): number {
  return octantFunction(Math.abs(degrees), degrees < 0 ? -1 : 1, false);
}

/**
 * Cephes' reduction to the nearest multiple of 45° (x ≥ 0) and its two polynomials: in octants 1
 * and 2 of the reduced phase the other function's polynomial applies.
 */
function octantFunction(x: number, sign: number, cosine: boolean): number {
  let y = Math.floor(x / 45);
  let j = y - 16 * Math.floor(y / 16);
  if (j & 1) {
    j += 1;
    y += 1;
  }
  j &= 7;
  if (j > 3) {
    sign = -sign;
    j -= 4;
  }
  if (cosine && j > 1) sign = -sign;
  const z = (x - y * 45) * RADIANS_PER_DEGREE;
  const zz = z * z;
  const sinePolynomial = (j === 1 || j === 2) === cosine;
  const value = sinePolynomial
    ? z + z * (zz * polynomial(zz, SIN_COEFFICIENTS))
    : 1 - zz * polynomial(zz, COS_COEFFICIENTS);
  return sign < 0 ? -value : value;
}

/** Horner's rule, highest power first (Cephes' polevl). */
function polynomial(x: number, coefficients: number[]): number {
  let value = coefficients[0];
  for (let i = 1; i < coefficients.length; i++) value = value * x + coefficients[i];
  return value;
}
