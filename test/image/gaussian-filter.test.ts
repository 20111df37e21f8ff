import { describe, expect, it } from "vitest";
import { gaussianFilter, gaussianKernel } from "../../src/image/gaussian-filter.js";
import { gaussianLocalThreshold } from "../../src/image/local-threshold.js";

/** exp(−x² / 2σ²) for x = −radius … radius, normalised: the closed form. */
function closedForm(sigma: number, radius: number): number[] {
  const raw = Array.from({ length: 2 * radius + 1 }, (_, k) =>
    Math.exp(-((k - radius) ** 2) / (2 * sigma * sigma)),
  );
  const sum = raw.reduce((s, v) => s + v, 0);
  return raw.map((v) => v / sum);
}

describe("gaussianKernel", () => {
  it("is the normalised closed form", () => {
    const kernel = gaussianKernel(2, 8);
    closedForm(2, 8).forEach((v, k) => expect(kernel[k]).toBeCloseTo(v, 15));
  });
});

describe("gaussianFilter", () => {
  it("turns a delta into the outer product of the kernel, reaching int(4σ + 0.5) pixels", () => {
    // σ = 2: radius int(8.5) = 8; the 41 × 41 image is wide enough for no reflection to reach the delta's spread
    const data = new Uint8Array(41 * 41);
    data[20 * 41 + 20] = 1;
    const out = gaussianFilter({ width: 41, height: 41, data }, 2);
    const k = closedForm(2, 8);
    for (let y = 0; y < 41; y++) {
      for (let x = 0; x < 41; x++) {
        const dx = x - 20;
        const dy = y - 20;
        const expected = Math.abs(dx) <= 8 && Math.abs(dy) <= 8 ? k[dy + 8] * k[dx + 8] : 0;
        expect(out[y * 41 + x]).toBeCloseTo(expected, 15);
      }
    }
  });

  it("takes the threshold's sigma (221 − 1) / 6 to radius int(4 · 36.67 + 0.5) = 147", () => {
    const data = new Uint8Array(400);
    data[200] = 255;
    const out = gaussianFilter({ width: 400, height: 1, data }, 220 / 6);
    const reached = Array.from(out).flatMap((v, x) => (v > 0 ? [x] : []));
    expect([reached[0], reached.at(-1)]).toEqual([200 - 147, 200 + 147]);
  });

  it("mirrors the image about its edge (scipy's 'reflect': … b a | a b …)", () => {
    // row 0 0 0 0 9, σ = 1 (radius 4): at x = 4 the window's x = 5 reflects to x = 4 itself
    const w = closedForm(1, 4); // w[4] is the centre weight
    const out = gaussianFilter({ width: 5, height: 1, data: Uint8Array.from([0, 0, 0, 0, 9]) }, 1);
    expect(out[4]).toBeCloseTo(9 * (w[4] + w[5]), 14);
    // at x = 0 only x + 4 = 4 is non-zero (x − 4 reflects to 3, which is 0)
    expect(out[0]).toBeCloseTo(9 * w[8], 14);
    // a one-pixel line reflects onto itself: the value is kept
    const single = gaussianFilter({ width: 1, height: 1, data: Uint8Array.from([77]) }, 3);
    expect(single[0]).toBeCloseTo(77, 12);
  });
});

describe("gaussianLocalThreshold", () => {
  it("marks the bright side of a step edge, where each pixel is above its neighbourhood's mean", () => {
    // block 7 → σ 1, radius 4; 0 0 0 0 100 100 100 100: every 100 has a 0 (or its mirror) within 4 pixels, so its mean is below 100
    const row = [0, 0, 0, 0, 100, 100, 100, 100];
    const data = Uint8Array.from([...row, ...row, ...row]);
    const mask = gaussianLocalThreshold({ width: 8, height: 3, data }, 7);
    expect(Array.from(mask)).toEqual([...row, ...row, ...row].map((v) => (v ? 1 : 0)));
  });

  it("needs a pixel strictly above its mean (offset 0): a dark image has no foreground", () => {
    const dark = { width: 9, height: 4, data: new Uint8Array(36) };
    expect(gaussianLocalThreshold(dark, 221).every((v) => v === 0)).toBe(true);
  });
});
