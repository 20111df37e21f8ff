import { describe, expect, it } from "vitest";
import { cleanAllLabels, cleanLabels } from "../../../src/generate/kaggle/cleaned-labels.js";

/** Two touching chromosomes with a speck of 2 inside 1, a 4 on their border, and a lone pixel. */
const RAW = [
  [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  [0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 0],
  [0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 0],
  [0, 1, 1, 2, 1, 1, 4, 2, 2, 2, 2, 0],
  [0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 0],
  [0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 0],
  [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0],
];

/**
 * What the notebook's clean_ground_truth(size = 1) gives (scikit-image 0.19.3 agrees): the 4 is
 * in no label, and the openings drop the speck, the corners, the 1 left of the 4 (3, 5) and the
 * lone pixel. Row 3 is the deepest (distance 3, map value 0), and markers leave the queue before the
 * pixels they reach: so the 2s' marker (3, 7) takes the 4, the 1s' marker (3, 4) takes (3, 5),
 * the 1s around the speck take it back, and no region reaches the lone pixel.
 */
const CLEANED = [
  [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  [0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 0],
  [0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 0],
  [0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 0],
  [0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 0],
  [0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 0],
  [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
];

describe("cleanLabels", () => {
  it("removes specks and 4s by opening each label and regrowing them inside the labelled pixels", () => {
    const cleaned = cleanLabels(RAW.flat(), 12, 8);
    expect(
      Array.from({ length: 8 }, (_, y) => Array.from(cleaned.subarray(y * 12, (y + 1) * 12))),
    ).toEqual(CLEANED);
  });

  it("cleans every sample of a set in place", () => {
    const one = Int8Array.from(RAW.flat());
    const samples = {
      count: 2,
      width: 12,
      height: 8,
      labels: Int8Array.from([...one, ...new Int8Array(96)]),
    };
    cleanAllLabels(samples);
    expect(Array.from(samples.labels.subarray(0, 96))).toEqual(CLEANED.flat());
    expect(samples.labels.subarray(96)).toEqual(new Int8Array(96));
  });
});
