import { describe, expect, it } from "vitest";
import {
  MAX_KAGGLE_SAMPLES,
  buildOverlapSamples,
  checkSampleCount,
} from "../../../src/generate/kaggle/assemble.js";
import { centredPosition, clipToLabels } from "../../../src/generate/kaggle/labelled-image.js";
import type { LabelledImage } from "../../../src/generate/kaggle/labelled-image.js";
import { mergeAndRoll, rotatedViews } from "../../../src/generate/kaggle/overlaps.js";
import type { ChromosomeImage } from "../../../src/generate/kaggle/overlaps.js";

/** A height × width block of one grey value and one label. */
function block(height: number, width: number, grey: number, label: number): LabelledImage {
  const size = width * height;
  return {
    width,
    height,
    grey: new Int32Array(size).fill(grey),
    labels: new Int32Array(size).fill(label),
  };
}

function rows(values: Int32Array | Int8Array | Int16Array, width: number): number[][] {
  return Array.from({ length: values.length / width }, (_, y) =>
    Array.from(values.subarray(y * width, (y + 1) * width)),
  );
}

describe("mergeAndRoll", () => {
  // A: 2 × 3 of grey 10, label 1; B: 3 × 2 of grey 20, label 2. Canvas (3 + 2·2) × (2 + 2·3) = 7 × 8,
  // B at rows 3–5, columns 4–5; A at row trunc(u · (7 − 2)), column trunc(v · (8 − 3)).
  const a = block(2, 3, 10, 1);
  const b = block(3, 2, 20, 2);

  it("adds A, shifted by (u, v), to B placed one pixel past A's size, and cuts the sum to its labels", () => {
    // u = 0.5, v = 0.75: A at rows 2–3, columns 3–5; the box is rows 2–5, columns 3–5
    const merged = mergeAndRoll(a, b, 0.5, 0.75);
    expect(rows(merged.labels, merged.width)).toEqual([
      [1, 1, 1],
      [1, 3, 3],
      [0, 2, 2],
      [0, 2, 2],
    ]);
    expect(rows(merged.grey, merged.width)).toEqual([
      [10, 10, 10],
      [10, 30, 30],
      [0, 20, 20],
      [0, 20, 20],
    ]);
  });

  it("truncates the shift: u = v = 0.25 puts A at (1, 1), apart from B", () => {
    const merged = mergeAndRoll(a, b, 0.25, 0.25);
    expect([merged.height, merged.width]).toEqual([5, 5]);
    expect(rows(merged.labels, merged.width)).toEqual([
      [1, 1, 1, 0, 0],
      [1, 1, 1, 0, 0],
      [0, 0, 0, 2, 2],
      [0, 0, 0, 2, 2],
      [0, 0, 0, 2, 2],
    ]);
  });

  it("never overlaps two single pixels: B sits at row and column 2, A reaches 1 at most", () => {
    for (const u of [0.25, 0.5, 0.75])
      for (const v of [0.25, 0.5, 0.75])
        expect(mergeAndRoll(block(1, 1, 5, 1), block(1, 1, 5, 2), u, v).labels).not.toContain(3);
  });
});

describe("clipToLabels", () => {
  it("cuts to the box of labels above 0, keeping ringing below 0 inside it", () => {
    const image = {
      width: 4,
      height: 3,
      grey: Int32Array.from([0, 0, 0, 0, -3, 9, 8, 0, 0, 0, 0, 0]),
      labels: Int32Array.from([0, 0, 0, 0, -1, 1, 1, 0, 0, 0, 0, 0]),
    };
    const clipped = clipToLabels(image);
    expect([clipped.height, clipped.width, Array.from(clipped.grey)]).toEqual([1, 2, [9, 8]]);
  });
});

describe("centredPosition", () => {
  it("rounds half the difference to even, as Python 3's round does", () => {
    const place = (size: number, frame: number) =>
      centredPosition({ width: size, height: size }, { width: frame, height: frame }).top;
    expect([place(5, 6), place(3, 6), place(5, 10), place(7, 14), place(4, 4)]).toEqual([
      0, 2, 2, 4, 0,
    ]);
  });
});

describe("rotatedViews", () => {
  it("labels the grey > 0 pixels, cuts them out and gives the five turns, the first unturned", () => {
    const grey = [
      [0, 0, 0, 0, 0],
      [0, 40, 50, 70, 0],
      [0, 60, 90, 0, 0],
      [0, 80, 30, 20, 0],
      [0, 0, 0, 0, 0],
    ];
    const views = rotatedViews({ width: 5, height: 5, grey: Uint8Array.from(grey.flat()) }, 2);
    expect(views).toHaveLength(5);
    expect(rows(views[0].grey, 3)).toEqual(grey.slice(1, 4).map((row) => row.slice(1, 4)));
    expect(rows(views[0].labels, 3)).toEqual([
      [2, 2, 2],
      [2, 2, 0],
      [2, 2, 2],
    ]);
    for (const view of views) expect(view.labels.some((label) => label > 0)).toBe(true);
  });
});

describe("buildOverlapSamples", () => {
  /** Solid bars of growing size, the smallest first. */
  const bars: ChromosomeImage[] = [
    [2, 5],
    [3, 6],
    [3, 8],
  ].map(([height, width], k) => ({
    width,
    height,
    grey: new Uint8Array(width * height).fill(60 + 40 * k),
  }));

  it("makes 225 candidates per pair and keeps those with an overlap, centred in the largest kept frame", () => {
    const { samples, findings } = buildOverlapSamples(bars, 1);
    expect(findings).toMatchObject({ pairs: 3, candidates: 675, samples: samples.count });
    expect(samples.count).toBeGreaterThan(0);
    expect(samples.count).toBeLessThan(675);
    expect([samples.height, samples.width]).toEqual([
      findings.sampleFrame.height,
      findings.sampleFrame.width,
    ]);
    const px = samples.width * samples.height;
    for (let s = 0; s < samples.count; s++) {
      expect(samples.labels.subarray(s * px, (s + 1) * px)).toContain(3);
      const [first, second] = samples.pairIds.subarray(2 * s, 2 * s + 2);
      expect(first).toBeLessThan(second);
    }
  });

  it("refuses chromosomes none of whose candidates overlap, and fewer than two chromosomes, naming the step", () => {
    const speck: ChromosomeImage = { width: 1, height: 1, grey: Uint8Array.of(50) };
    expect(() => buildOverlapSamples([speck, speck], 1)).toThrow(
      "step 9: none of the 225 candidates of 1 pair has an overlap",
    );
    expect(() => buildOverlapSamples([bars[0]], 1)).toThrow(
      "step 5 kept 1 chromosome; step 6 needs 2 to make a pair",
    );
  });

  it("refuses more samples than memory allows before allocating them", () => {
    expect(() => checkSampleCount(MAX_KAGGLE_SAMPLES + 1, 10)).toThrow(
      `step 9: ${MAX_KAGGLE_SAMPLES + 1} samples, more than the ${MAX_KAGGLE_SAMPLES} the kaggle preset holds in memory`,
    );
    expect(() => checkSampleCount(MAX_KAGGLE_SAMPLES, 10)).not.toThrow();
  });

  it("depends on the seed only through the order of the samples", () => {
    const one = buildOverlapSamples(bars, 1).samples;
    const again = buildOverlapSamples(bars, 1).samples;
    const other = buildOverlapSamples(bars, 2).samples;
    expect(again).toEqual(one);
    const px = one.width * one.height;
    const sampleKeys = (set: typeof one) =>
      Array.from({ length: set.count }, (_, s) =>
        [
          set.pairIds[2 * s],
          set.pairIds[2 * s + 1],
          ...set.grey.subarray(s * px, (s + 1) * px),
          ...set.labels.subarray(s * px, (s + 1) * px),
        ].join(","),
      ).sort();
    expect(sampleKeys(other)).toEqual(sampleKeys(one));
    expect(other.grey).not.toEqual(one.grey);
  });
});
