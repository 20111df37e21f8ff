import { describe, expect, it } from "vitest";
import { softenOverlap } from "../../src/generate/soften-overlap.js";

/**
 * A 20 × 20 frame: a horizontal bar (rows 8–11, grey 100, label 1) crossed by a vertical one
 * (columns 8–11, label 2), their overlap grey 160 (label 3), as composeSample leaves a crossing.
 */
function crossing(): { grey: Uint8Array; labels: Uint8Array } {
  const grey = new Uint8Array(400);
  const labels = new Uint8Array(400);
  for (let y = 0; y < 20; y++) {
    for (let x = 0; x < 20; x++) {
      const horizontal = y >= 8 && y < 12;
      const vertical = x >= 8 && x < 12;
      labels[y * 20 + x] = (horizontal ? 1 : 0) | (vertical ? 2 : 0);
      grey[y * 20 + x] = horizontal && vertical ? 160 : horizontal || vertical ? 100 : 0;
    }
  }
  return { grey, labels };
}

describe("softenOverlap", () => {
  it("turns the step at the overlap's edge into a ramp, near the overlap only", () => {
    const { grey, labels } = crossing();
    softenOverlap(grey, labels, 20, 20, 1);
    const row = (y: number) => Array.from(grey.subarray(y * 20, y * 20 + 20));
    // along the horizontal bar's middle: 100 far out, rising towards the overlap, highest inside
    const middle = row(9);
    expect(middle[0]).toBe(100);
    expect(middle[6]).toBeGreaterThan(100);
    expect(middle[7]).toBeGreaterThan(middle[6]);
    expect(middle[9]).toBeLessThan(160);
    expect(middle[9]).toBeGreaterThan(middle[7]);
    // the step from the last chromosome pixel into the overlap is now under half what it was
    expect(middle[8] - middle[7]).toBeLessThan(30);
    // the background does not darken the rim: the bar's edge row is as bright as its middle
    expect(Math.abs(row(8)[6] - middle[6])).toBeLessThanOrEqual(3);
    // background stays background; labels untouched
    expect(grey[0]).toBe(0);
    expect(labels).toEqual(crossing().labels);
  });

  it("changes nothing without overlap pixels (singles, touching pairs)", () => {
    const { grey, labels } = crossing();
    for (let i = 0; i < labels.length; i++) if (labels[i] === 3) labels[i] = 1;
    const before = Uint8Array.from(grey);
    softenOverlap(grey, labels, 20, 20, 1.5);
    expect(grey).toEqual(before);
  });
});
