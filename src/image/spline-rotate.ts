/**
 * scipy.ndimage.rotate(plane, degrees) with its defaults, on one 2-D integer plane: reshape on (the
 * output holds the whole rotated input), cubic B-spline interpolation of the prefiltered plane
 * (order 3, prefilter on), mode 'constant' with cval 0, and the result rounded as scipy stores a
 * float in an integer array (halves away from zero). Follows scipy 1.10, the version of the
 * reproduction in docs/dataset-recipe.md (_interpolation.py's rotate and affine_transform,
 * ni_interpolation.c's geometric transform), operation for operation, so that every pixel rounds as
 * it does there; later versions (1.17) sum the coordinates in another order, which moves a pixel
 * now and then where a sample falls on the plane's very edge.
 */
import { cosDegrees, sinDegrees } from "./degrees.js";
import { fusedMultiplyAdd } from "./fused-multiply-add.js";
import { cubicSplineCoefficients } from "./spline-filter.js";

/** A plane of whole numbers (they may be negative: the spline rings at sharp edges). */
export interface IntegerPlane {
  width: number;
  height: number;
  /** width × height, row-major. */
  data: Int32Array;
}

interface Rotation {
  cos: number;
  sin: number;
}

/**
 * The rotated plane's size: the extent of the rotated corners, rounded half up
 * (scipy: `(np.ptp(out_bounds, axis=1) + 0.5).astype(int)`).
 */
export function rotatedSize(
  width: number,
  height: number,
  degrees: number,
): { width: number; height: number } {
  return outputSize(width, height, rotationOf(degrees));
}

/**
 * `plane` turned by `degrees` as scipy.ndimage.rotate turns it (axes (1, 0): positive angles turn
 * the picture anticlockwise as displayed with rows downwards; 90° is np.rot90). Output pixel
 * (row o0, column o1) samples the input at R·(o0, o1) + offset, R = [[cos, sin], [−sin, cos]],
 * where the offset maps the output's centre onto the input's; samples outside [0, size − 1] on
 * either axis are 0; inside, the spline's support reflects at the edges (scipy's mirror
 * extension).
 */
export function rotatePlane(plane: IntegerPlane, degrees: number): IntegerPlane {
  const rotation = rotationOf(degrees);
  const { cos, sin } = rotation;
  const { width: inWidth, height: inHeight } = plane;
  const { width, height } = outputSize(inWidth, inHeight, rotation);
  // numpy's matrix × vector (OpenBLAS gemv, fused on processors with FMA)
  const outCentreRow = (height - 1) / 2;
  const outCentreColumn = (width - 1) / 2;
  const offsetRow = (inHeight - 1) / 2 - fusedMultiplyAdd(cos, outCentreRow, sin * outCentreColumn);
  const offsetColumn =
    (inWidth - 1) / 2 - fusedMultiplyAdd(-sin, outCentreRow, cos * outCentreColumn);
  const coefficients = cubicSplineCoefficients(plane.data, inWidth, inHeight);
  const data = new Int32Array(width * height);
  const rowTaps = new Taps();
  const columnTaps = new Taps();
  for (let o0 = 0; o0 < height; o0++) {
    for (let o1 = 0; o1 < width; o1++) {
      // summed in scipy 1.10's order (1.17 adds the offset first): the order decides the last bit
      const row = o0 * cos + o1 * sin + offsetRow;
      const column = o0 * -sin + o1 * cos + offsetColumn;
      if (!rowTaps.place(row, inHeight) || !columnTaps.place(column, inWidth)) continue;
      let value = 0;
      for (let i = 0; i < 4; i++) {
        const base = rowTaps.index[i] * inWidth;
        for (let j = 0; j < 4; j++)
          value +=
            coefficients[base + columnTaps.index[j]] * rowTaps.weight[i] * columnTaps.weight[j];
      }
      data[o0 * width + o1] = roundHalfAwayFromZero(value);
    }
  }
  return { width, height, data };
}

function rotationOf(degrees: number): Rotation {
  return { cos: cosDegrees(degrees), sin: sinDegrees(degrees) };
}

function outputSize(width: number, height: number, { cos, sin }: Rotation) {
  // the rotation matrix times the corners (0, 0), (0, width), (height, 0), (height, width), as
  // numpy's matrix product computes it (OpenBLAS gemm, fused on processors with FMA)
  const rows = [0, sin * width, cos * height, fusedMultiplyAdd(sin, width, cos * height)];
  const columns = [0, cos * width, -sin * height, fusedMultiplyAdd(cos, width, -sin * height)];
  return { height: truncatedExtent(rows), width: truncatedExtent(columns) };
}

function truncatedExtent(values: number[]): number {
  return Math.trunc(Math.max(...values) - Math.min(...values) + 0.5);
}

/**
 * The 4 input indices and cubic B-spline weights for one coordinate along one axis
 * (ni_interpolation.c and ni_splines.c's get_spline_interpolation_weights).
 */
class Taps {
  readonly index = new Int32Array(4);
  readonly weight = new Float64Array(4);

  /** False when the coordinate lies outside [0, length − 1]: the pixel takes cval. */
  place(coordinate: number, length: number): boolean {
    if (coordinate < 0 || coordinate > length - 1) return false;
    const start = Math.floor(coordinate) - 1;
    for (let k = 0; k < 4; k++) this.index[k] = mirrorIndex(start + k, length);
    const x = coordinate - Math.floor(coordinate);
    const z = 1 - x;
    const w = this.weight;
    w[1] = (x * x * (x - 2) * 3 + 4) / 6;
    w[2] = (z * z * (z - 2) * 3 + 4) / 6;
    w[0] = (z * z * z) / 6;
    w[3] = 1 - w[0] - w[1] - w[2];
    return true;
  }
}

/** An index reflected about the first and last samples (scipy's mirror extension of the coefficients). */
function mirrorIndex(index: number, length: number): number {
  if (length <= 1) return 0;
  const period = 2 * length - 2;
  if (index < 0) {
    index += period * Math.trunc(-index / period);
    return index <= 1 - length ? index + period : -index;
  }
  if (index >= length) {
    index -= period * Math.trunc(index / period);
    if (index >= length) index = period - index;
  }
  return index;
}

/** How scipy stores a float into an integer array: t ± 0.5, truncated towards zero. */
function roundHalfAwayFromZero(value: number): number {
  return Math.trunc(value > 0 ? value + 0.5 : value - 0.5);
}
