import { describe, expect, it } from "vitest";
import { NUM_CLASSES } from "../../src/classes.js";
import { addView } from "../../src/infer/segment-crops.js";
import type { View } from "../../src/infer/segment-crops.js";
import { labelsOf } from "../../src/model/probabilities.js";

/** One row: background, a chromosome of 1 pixel, one of 3 pixels, background. */
const WIDTH = 6;
const view: View = {
  crop: 0,
  image: { width: WIDTH, height: 1, data: new Uint8Array(WIDTH) },
  source: null,
};
const BACKGROUND = [0.9, 0.05, 0.05, 0];
const FIRST = [0.05, 0.9, 0.05, 0];
const SECOND = [0.05, 0.05, 0.9, 0];

function probabilities(small: number[], large: number[]): Float32Array {
  return Float32Array.from([BACKGROUND, small, large, large, large, BACKGROUND].flat());
}

/** The labels of the two views' sum: the first names the small chromosome A, the second B. */
function sumOfTwoViews(byArea: boolean): Uint8Array {
  const sum = new Float32Array(WIDTH * NUM_CLASSES);
  const at = { offset: 0, rowStride: WIDTH };
  addView(sum, view, probabilities(FIRST, SECOND), at, byArea);
  addView(sum, view, probabilities(SECOND, FIRST), at, byArea);
  return labelsOf(sum);
}

describe("test-time augmentation's sum of views", () => {
  it("names each view by area before adding it, so that views naming the pair differently keep the two chromosomes apart", () => {
    expect([...sumOfTwoViews(true)]).toEqual([0, 1, 2, 2, 2, 0]);
  });

  it("blurs the two chromosomes into one when the views are added as named by the network", () => {
    const labels = sumOfTwoViews(false);
    expect(new Set(labels.slice(1, 5)).size).toBe(1);
  });
});
