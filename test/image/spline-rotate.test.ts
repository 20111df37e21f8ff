import { describe, expect, it } from "vitest";
import { cosDegrees, sinDegrees } from "../../src/image/degrees.js";
import { fusedMultiplyAdd } from "../../src/image/fused-multiply-add.js";
import { cubicSplineCoefficients } from "../../src/image/spline-filter.js";
import { rotatePlane, rotatedSize } from "../../src/image/spline-rotate.js";
import type { IntegerPlane } from "../../src/image/spline-rotate.js";

function plane(rows: number[][]): IntegerPlane {
  return { width: rows[0].length, height: rows.length, data: Int32Array.from(rows.flat()) };
}

function rowsOf(p: IntegerPlane): number[][] {
  return Array.from({ length: p.height }, (_, y) =>
    Array.from(p.data.subarray(y * p.width, (y + 1) * p.width)),
  );
}

/** A plane of whole numbers from −50 to 399, different in every pixel. */
function varied(width: number, height: number): IntegerPlane {
  return {
    width,
    height,
    data: Int32Array.from({ length: width * height }, (_, i) => ((i * 97) % 450) - 50),
  };
}

describe("cosDegrees / sinDegrees", () => {
  it("are exact at multiples of 90° and give scipy.special.cosdg / sindg's values elsewhere", () => {
    expect([0, 90, 180, 270, -90].map(cosDegrees)).toEqual([1, -0, -1, 0, -0]);
    expect([0, 90, 180, 270, -90].map(sinDegrees)).toEqual([0, 1, -0, -1, -1]);
    // scipy 1.10's special.cosdg(40) and sindg(160); Math.cos(40 · π / 180) is one ulp lower
    expect(cosDegrees(40)).toBe(0.7660444431189781);
    expect(Math.cos((40 * Math.PI) / 180)).not.toBe(0.7660444431189781);
    expect(sinDegrees(160)).toBe(0.3420201433256687);
    expect(cosDegrees(120)).toBe(-0.49999999999999994);
  });
});

describe("fusedMultiplyAdd", () => {
  it("rounds a · b + c once", () => {
    const a = 1 + 2 ** -30;
    // a² = 1 + 2^-29 + 2^-60: the 2^-60 is lost when the product is rounded first
    expect(a * a - (1 + 2 ** -29)).toBe(0);
    expect(fusedMultiplyAdd(a, a, -(1 + 2 ** -29))).toBe(2 ** -60);
    expect(fusedMultiplyAdd(3, 4, 5)).toBe(17);
    expect(fusedMultiplyAdd(0.5, 3, 0)).toBe(1.5);
    expect(fusedMultiplyAdd(1e300, 1e-300, -1)).toBeCloseTo(0, 10);
  });
});

describe("cubicSplineCoefficients", () => {
  it("gives coefficients whose B-spline, weights 1/6, 4/6, 1/6 per axis, passes through every sample", () => {
    const { width, height, data } = varied(7, 5);
    const c = cubicSplineCoefficients(data, width, height);
    const at = (y: number, x: number) => {
      const mirror = (i: number, n: number) => (i < 0 ? -i : i >= n ? 2 * n - 2 - i : i);
      return c[mirror(y, height) * width + mirror(x, width)];
    };
    const weights = [1 / 6, 4 / 6, 1 / 6];
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let value = 0;
        for (let i = 0; i < 3; i++)
          for (let j = 0; j < 3; j++) value += weights[i] * weights[j] * at(y + i - 1, x + j - 1);
        expect(value).toBeCloseTo(data[y * width + x], 9);
      }
    }
  });

  it("leaves a constant plane constant", () => {
    expect(
      Array.from(cubicSplineCoefficients(new Array(12).fill(10), 4, 3), (v) => +v.toFixed(12)),
    ).toEqual(new Array(12).fill(10));
  });
});

describe("rotatedSize", () => {
  it("is the extent of the turned corners, rounded half up", () => {
    // 3 × 5 at 40°: rows span 0 … 3·cos + 5·sin = 5.51, columns −3·sin … 5·cos = −1.93 … 3.83
    expect(rotatedSize(5, 3, 40)).toEqual({ width: 6, height: 6 });
    expect(rotatedSize(5, 3, 0)).toEqual({ width: 5, height: 3 });
    expect(rotatedSize(5, 3, 90)).toEqual({ width: 3, height: 5 });
  });
});

describe("rotatePlane", () => {
  it("leaves any plane as it is at 0°", () => {
    const p = varied(9, 6);
    expect(rotatePlane(p, 0)).toEqual(p);
  });

  it("turns by 90° and 180° exactly (np.rot90: anticlockwise as displayed)", () => {
    const p = plane([
      [-2, -1, 0],
      [1, 2, 3],
    ]);
    expect(rowsOf(rotatePlane(p, 90))).toEqual([
      [0, 3],
      [-1, 2],
      [-2, 1],
    ]);
    expect(rowsOf(rotatePlane(p, 180))).toEqual([
      [3, 2, 1],
      [0, -1, -2],
    ]);
  });

  it("keeps a constant where the turned pixel samples inside the plane, 0 outside", () => {
    const constant = plane(Array.from({ length: 4 }, () => [10, 10, 10, 10]));
    expect(rowsOf(rotatePlane(constant, 40))).toEqual([
      [0, 0, 0, 0, 0, 0],
      [0, 0, 10, 10, 0, 0],
      [0, 10, 10, 10, 10, 0],
      [0, 10, 10, 10, 10, 0],
      [0, 0, 10, 10, 0, 0],
      [0, 0, 0, 0, 0, 0],
    ]);
  });

  it("turns a delta as scipy.ndimage.rotate does: the spline rings below 0, halves round away from 0", () => {
    // scipy 1.10.1: ndimage.rotate(delta, 40) of an int64 3 × 4 plane with 100 at (1, 1)
    const delta = plane([
      [0, 0, 0, 0],
      [0, 100, 0, 0],
      [0, 0, 0, 0],
    ]);
    expect(rowsOf(rotatePlane(delta, 40))).toEqual([
      [0, 0, 0, 0, 0],
      [0, 0, -1, -1, 0],
      [0, 23, 63, -3, 0],
      [0, 2, 13, 0, 0],
      [0, 0, 0, 0, 0],
    ]);
  });

  it("decides pixels that sample the plane's very edge as scipy 1.10 does", () => {
    // as scipy 1.10.1 gives them (numpy with OpenBLAS on an FMA processor): numpy's fused matrix
    // products place the centre, and the coordinates are summed before the offset is added; one
    // ulp either way flips these pixels
    const strip = { width: 55, height: 2, data: new Int32Array(110).fill(10) };
    const turned = rotatePlane(strip, 120);
    expect([turned.height, turned.width]).toEqual([49, 29]);
    expect(turned.data.filter((v) => v === 10).length).toBe(54);
    expect(turned.data[23 * 29 + 14]).toBe(0);
    const column = { width: 1, height: 5, data: new Int32Array(5).fill(10) };
    expect(Array.from(rotatePlane(column, 160).data)).toEqual([
      0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0, 0, 0,
    ]);
  });

  it("rounds a two-pixel mask of 2s to a single 3 at 40° (the published label noise)", () => {
    const mask = plane([
      [0, 0, 0, 0],
      [0, 2, 2, 0],
      [0, 0, 0, 0],
    ]);
    const turned = rotatePlane(mask, 40);
    expect(Array.from(turned.data).filter((v) => v !== 0)).toEqual([3]);
    expect(turned.data[2 * turned.width + 2]).toBe(3);
  });
});
