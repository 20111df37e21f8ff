import { describe, expect, it } from "vitest";
import { centred, selectKaggleChromosomes } from "../../../src/generate/kaggle/select.js";
import type { KaggleObject } from "../../../src/generate/kaggle/slide.js";

/** An object `width` × `height` at the slide's origin with `area` pixels of grey 9 (row-major from the top left), 0 after. */
function object(id: number, width: number, height: number, area: number): KaggleObject {
  const grey = new Uint8Array(width * height);
  grey.fill(9, 0, area);
  return { id, box: { x0: 0, y0: 0, x1: width, y1: height }, grey, area };
}

describe("centred", () => {
  it("offsets by Python 3's round(Δ / 2): 0.5 → 0, 1.5 → 2, 2.5 → 2", () => {
    // frame 10 × 7: a 9 × 6 object has Δ = 1, 1 → offset 0, 0
    const frame = { width: 10, height: 7 };
    const at = (o: KaggleObject) => {
      const grey = centred(o, frame);
      const first = grey.findIndex((v) => v > 0);
      return { left: first % frame.width, top: Math.floor(first / frame.width) };
    };
    expect(at(object(1, 9, 6, 54))).toEqual({ left: 0, top: 0 });
    // 7 × 4: Δ = 3, 3 → round(1.5) = 2
    expect(at(object(2, 7, 4, 28))).toEqual({ left: 2, top: 2 });
    // 5 × 2: Δ = 5, 5 → round(2.5) = 2, not 3
    expect(at(object(3, 5, 2, 10))).toEqual({ left: 2, top: 2 });
  });
});

describe("selectKaggleChromosomes", () => {
  it("keys objects by area (a later object replaces an earlier one of the same area), keeps every 4th from the smallest, ascending", () => {
    // areas 30, 10, 50, 20, 10 (replaces object 2), 40, 60, 70, 80, 90: distinct 10 … 90, nine of them
    const areas = [30, 10, 50, 20, 10, 40, 60, 70, 80, 90];
    const objects = areas.map((a, k) => object(k + 1, 10, 9, a));
    const { chromosomes, findings } = selectKaggleChromosomes(objects);
    expect(findings.objects).toBe(10);
    expect(findings.distinctAreas).toBe(9);
    expect(findings.replaced).toEqual([2]);
    // sorted 10 20 30 40 50 60 70 80 90 → [::4] → 10, 50, 90
    expect(findings.keptAreas).toEqual([10, 50, 90]);
    expect(chromosomes.map((c) => c.id)).toEqual([5, 3, 10]);
  });

  it("decimates the centred frame, every second row and column from the first", () => {
    // frame 4 × 3 (the largest width, the largest height, from different objects)
    const wide = object(1, 4, 1, 4); // Δ = 0, 2 → row 1: decimation keeps rows 0 and 2, so none of it
    const tall = object(2, 1, 3, 3); // Δ = 3 → round(1.5) = 2: column 2 survives, rows 0 and 2 of it
    const { chromosomes, findings } = selectKaggleChromosomes([wide, tall]);
    expect(findings.frame).toEqual({ width: 4, height: 3 });
    // distinct areas 3, 4: [::4] keeps only the smallest, the tall one
    expect(chromosomes).toHaveLength(1);
    const [c] = chromosomes;
    expect([c.width, c.height]).toEqual([2, 2]);
    expect(Array.from(c.grey)).toEqual([0, 9, 0, 9]);
    expect(Array.from(c.mask)).toEqual([0, 1, 0, 1]);
    expect([c.area, c.decimatedArea]).toEqual([3, 2]);
    expect(findings.decimatedAreas).toEqual([2]);
  });

  it("refuses a kept chromosome with no pixel left after decimation, naming step 5", () => {
    // one pixel at row 0, column 1 of a 2 × 1 frame: decimation keeps column 0 only
    const speck = { ...object(1, 2, 1, 0), grey: Uint8Array.of(0, 9), area: 1 };
    expect(() => selectKaggleChromosomes([speck])).toThrow(
      "step 5: the kept chromosome of object 1 (area 1) has no pixel left after decimation",
    );
  });
});
