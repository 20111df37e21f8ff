import { describe, expect, it } from "vitest";
import { scaleOverlapGrey } from "../../src/train/augment.js";
import { assembleBatch } from "../../src/train/batches.js";
import { seededRandom } from "../../src/random.js";
import { allocateSamples } from "../../src/data/samples.js";

function counts(labels: ArrayLike<number>): number[] {
  const c = [0, 0, 0, 0];
  for (let i = 0; i < labels.length; i++) c[labels[i]]++;
  return c;
}

describe("augmentation", () => {
  it("keeps label 1 on the smaller chromosome, and the grey on its labels, in augmented batches", () => {
    const set = allocateSamples(2, 7, 6);
    // A (labels 1 and 3) covers 3 pixels, B (labels 2 and 3) 5; sample 1 is a copy of sample 0.
    set.labels.set([1, 3, 2, 2, 2, 2], 6 * 2);
    set.labels.set([1], 6 * 3 + 1);
    set.grey.set([90, 200, 100, 100, 100, 100], 6 * 2);
    set.grey.set([90], 6 * 3 + 1);
    set.labels.set(set.labels.subarray(0, 42), 42);
    set.grey.set(set.grey.subarray(0, 42), 42);
    const random = seededRandom(3);
    for (let trial = 0; trial < 20; trial++) {
      const batch = assembleBatch(set, [0, 1], 8, 8, {
        random,
        symmetries: true,
        jitter: 0.1,
        overlapGain: 0.6,
      });
      for (let s = 0; s < 2; s++) {
        const labels = batch.labels.subarray(s * 64, (s + 1) * 64);
        const input = batch.input.subarray(s * 64, (s + 1) * 64);
        const c = counts(labels);
        expect(c).toEqual([57, 2, 4, 1]);
        expect(c[1] + c[3]).toBeLessThan(c[2] + c[3]);
        labels.forEach((l, i) => expect(l === 0).toBe(input[i] === 0));
      }
    }
  });

  it("dims only the overlap, by a random factor within the range, when overlapGain < 1", () => {
    const grey = Uint8Array.from([100, 100, 200, 0]);
    scaleOverlapGrey(grey, [1, 2, 3, 0], 0.7);
    expect([...grey]).toEqual([100, 100, 140, 0]);

    const set = allocateSamples(1, 2, 2);
    set.grey.set([100, 100, 200, 0]);
    set.labels.set([1, 2, 3, 0]);
    const random = seededRandom(5);
    const overlapInputs = new Set<number>();
    for (let trial = 0; trial < 20; trial++) {
      const batch = assembleBatch(set, [0], 2, 2, {
        random,
        symmetries: false,
        jitter: 0,
        overlapGain: 0.5,
      });
      expect([batch.input[0], batch.input[1], batch.input[3]]).toEqual(
        [100 / 255, 100 / 255, 0].map(Math.fround),
      );
      expect(batch.input[2]).toBeGreaterThanOrEqual(Math.fround(100 / 255));
      expect(batch.input[2]).toBeLessThanOrEqual(Math.fround(200 / 255));
      overlapInputs.add(batch.input[2]);
    }
    expect(overlapInputs.size).toBeGreaterThan(5);
  });
});
