import { describe, expect, it } from "vitest";
import { roundHalfEven } from "../../src/image/round.js";
import { disk, elementRuns, opencvEllipse } from "../../src/image/structuring-element.js";

/** The mask as rows of 0/1 characters. */
function rows(element: { width: number; height: number; mask: Uint8Array }): string[] {
  return Array.from({ length: element.height }, (_, y) =>
    Array.from(element.mask.subarray(y * element.width, (y + 1) * element.width)).join(""),
  );
}

describe("roundHalfEven", () => {
  it("rounds halves to the even integer, as cvRound and Python 3's round do", () => {
    expect([0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5].map(roundHalfEven)).toEqual([
      0, 2, 2, 4, -0, -2, -2,
    ]);
    expect([0.49, 0.51, 2.4999, 2.5001].map(roundHalfEven)).toEqual([0, 1, 2, 3]);
  });
});

describe("opencvEllipse", () => {
  it("is OpenCV's 9 × 9 MORPH_ELLIPSE", () => {
    // r = c = 4, dx = round(4·√(16 − dy²) / 4): dy ±4 → 0, ±3 → round(2.65) = 3, ±2 → round(3.46) = 3, ±1 → 4, 0 → 4
    const e = opencvEllipse(9, 9);
    expect(rows(e)).toEqual([
      "000010000",
      "011111110",
      "011111110",
      "111111111",
      "111111111",
      "111111111",
      "011111110",
      "011111110",
      "000010000",
    ]);
    expect([e.anchorX, e.anchorY]).toEqual([4, 4]);
  });

  it("gives the even 50 × 50 ellipse its asymmetry: a 1-pixel top row, a 15-pixel bottom row, anchor (25, 25)", () => {
    const e = opencvEllipse(50, 50);
    const r = rows(e);
    expect([e.anchorX, e.anchorY]).toEqual([25, 25]);
    // row 0: dy = −25, dx = 0 → column 25 alone
    expect(r[0]).toBe("0".repeat(25) + "1" + "0".repeat(24));
    // row 49: dy = 24, dx = round(25 · √(625 − 576) / 25) = 7 → columns 18…32
    expect(r[49]).toBe("0".repeat(18) + "1".repeat(15) + "0".repeat(17));
    // row 25: dy = 0, dx = 25 → columns 0…50, clipped to 0…49
    expect(r[25]).toBe("1".repeat(50));
    // row 1 mirrors row 49 (dy = −24)
    expect(r[1]).toBe(r[49]);
  });
});

describe("disk", () => {
  it("is scikit-image's disk(5): 81 pixels, rows of 1, 7, 9, 9, 9, 11 from the top to the middle", () => {
    const d = disk(5);
    expect([d.width, d.height, d.anchorX, d.anchorY]).toEqual([11, 11, 5, 5]);
    const widths = rows(d).map((row) => row.split("1").length - 1);
    expect(widths).toEqual([1, 7, 9, 9, 9, 11, 9, 9, 9, 7, 1]);
    expect(d.mask.reduce((s, v) => s + v, 0)).toBe(81);
  });
});

describe("elementRuns", () => {
  it("splits a row with a gap into two runs, with offsets from the anchor", () => {
    const element = {
      width: 5,
      height: 2,
      anchorX: 2,
      anchorY: 1,
      mask: Uint8Array.from([1, 1, 0, 1, 0, 0, 0, 1, 0, 0]),
    };
    expect(elementRuns(element)).toEqual([
      { dy: -1, dx: -2, length: 2 },
      { dy: -1, dx: 1, length: 1 },
      { dy: 0, dx: 0, length: 1 },
    ]);
  });
});
