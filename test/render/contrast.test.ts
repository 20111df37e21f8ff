import { describe, expect, it } from "vitest";
import { stretchContrast } from "../../src/render/contrast.js";

describe("contrast stretch", () => {
  it("maps the 0.5th–99.5th percentile to 0–255 and clips the outliers beyond", () => {
    // 100–199 ten times each, and one black and one white outlier: 2 of 1002 values
    const values = Uint8Array.from([
      ...Array.from({ length: 1000 }, (_, i) => 100 + (i % 100)),
      0,
      255,
    ]);
    const out = stretchContrast(values);
    expect(out).toHaveLength(values.length);
    const of = (v: number) => out[values.indexOf(v)];
    expect(of(100)).toBe(0);
    expect(of(199)).toBe(255);
    expect(of(150)).toBe(Math.round((50 * 255) / 99));
    expect(of(0)).toBe(0);
    expect(of(255)).toBe(255);
  });

  it("leaves values alone whose percentiles are already 0 and 255", () => {
    // 10 of 100 values black and 10 white: the 0.5th percentile is 0, the 99.5th 255
    const values = Uint8Array.from([
      ...new Array(10).fill(0),
      ...new Array(10).fill(255),
      ...Array.from({ length: 80 }, (_, i) => 3 * i + 7),
    ]);
    expect(stretchContrast(values)).toEqual(values);
  });

  it("turns a flat image black rather than dividing by zero", () => {
    expect([...stretchContrast(new Uint8Array(10).fill(77))]).toEqual(new Array(10).fill(0));
  });
});
