import { describe, expect, it } from "vitest";
import { distanceToBackground } from "../../src/image/distance-transform.js";
import { watershed } from "../../src/image/watershed.js";

/** A 1 × n strip: image values, markers and mask as arrays. */
function strip(image: number[], markers: number[], mask = image.map(() => 1)): number[] {
  return Array.from(watershed(image, markers, mask, image.length, 1));
}

describe("watershed", () => {
  it("splits a flat strip between two markers, the tie going to the marker queued first", () => {
    // both markers leave the queue (value 0, age 0) before their neighbours (age 2, 3); the
    // left one first (raster order), so the middle pixel is reached from its side first
    expect(strip([0, 0, 0, 0, 0], [1, 0, 0, 0, 2])).toEqual([1, 1, 1, 2, 2]);
  });

  it("floods the lower side first", () => {
    // the right marker's neighbour (value 1) leaves the queue before the left one's (value 9)
    // and takes the middle pixel
    expect(strip([0, 9, 9, 1, 0], [1, 0, 0, 0, 2])).toEqual([1, 1, 2, 2, 2]);
  });

  it("labels only mask pixels the markers reach through the mask", () => {
    expect(strip([0, 0, 0, 0, 0], [1, 0, 0, 0, 0], [1, 1, 0, 1, 1])).toEqual([1, 1, 0, 0, 0]);
    expect(strip([0, 0, 0], [0, 2, 0], [1, 0, 1])).toEqual([0, 0, 0]);
  });

  it("reaches 4-connected neighbours, not diagonal ones", () => {
    const image = [0, 0, 0, 0];
    expect(Array.from(watershed(image, [1, 0, 0, 0], [1, 0, 0, 1], 2, 2))).toEqual([1, 0, 0, 0]);
    expect(Array.from(watershed(image, [1, 0, 0, 0], [1, 1, 0, 1], 2, 2))).toEqual([1, 1, 0, 1]);
  });
});

describe("distanceToBackground", () => {
  it("is the Euclidean distance to the nearest 0 in the image", () => {
    const mask = new Array(25).fill(1);
    mask[12] = 0; // the centre of a 5 × 5
    const d = distanceToBackground(mask, 5, 5);
    expect([d[0], d[2], d[6], d[12], d[13]]).toEqual([Math.SQRT2 * 2, 2, Math.SQRT2, 0, 1]);
  });

  it("does not count the outside of the image as background", () => {
    expect(Array.from(distanceToBackground([1, 1, 0], 3, 1))).toEqual([2, 1, 0]);
    expect(Array.from(distanceToBackground([1, 1, 1, 0, 1, 1, 1, 1], 4, 2))).toEqual([
      3,
      2,
      1,
      0,
      Math.hypot(3, 1),
      Math.hypot(2, 1),
      Math.SQRT2,
      1,
    ]);
  });
});
