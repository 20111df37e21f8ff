import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Chromosome } from "../../src/image/find-chromosomes.js";
import { SAMPLE_FRAME } from "../../src/data/samples.js";
import { PoseCache } from "../../src/generate/pose-cache.js";
import {
  NO_PARTNER,
  TRIES_PER_PAIR,
  pairAt,
  samplePairs,
} from "../../src/generate/sample-pairs.js";
import { seededRandom } from "../../src/random.js";

/** A straight chromosome: a `length` × `thickness` bar of grey 100, lying along x. */
function bar(id: number, length: number, thickness = 8): Chromosome {
  const size = length * thickness;
  return {
    id,
    width: length,
    height: thickness,
    grey: new Uint8Array(size).fill(100),
    mask: new Uint8Array(size).fill(1),
    area: size,
  };
}

const { height: FRAME_HEIGHT, width: FRAME_WIDTH } = SAMPLE_FRAME;
const sampling = { angles: 12, offsetStep: 3, minOverlap: 5 };

describe("pairAt", () => {
  it("numbers the pairs (0, 1), (0, 2), (1, 2), (0, 3), … and finds them back far out", () => {
    expect([0, 1, 2, 3, 4, 5].map(pairAt)).toEqual([
      [0, 1],
      [0, 2],
      [1, 2],
      [0, 3],
      [1, 3],
      [2, 3],
    ]);
    const n = 100000;
    const last = (n * (n - 1)) / 2 - 1;
    expect(pairAt(last)).toEqual([n - 2, n - 1]);
    expect(pairAt(last - (n - 1))).toEqual([n - 3, n - 2]);
  });
});

describe("PoseCache", () => {
  it("rotates a pose once while it is kept, and keeps no more than its capacity", () => {
    const cache = new PoseCache([bar(1, 40), bar(2, 30)], [0, 90, 180], 2);
    const upright = cache.get(0, 1);
    expect(upright.height).toBe(20);
    expect(upright.width).toBeLessThan(8);
    expect(cache.get(0, 1)).toBe(upright);
    expect(cache.rotated).toBe(1);
    cache.get(1, 0);
    cache.get(0, 1); // most recent again: (1, 0) is now the oldest
    cache.get(1, 2);
    expect(cache.size).toBe(2);
    expect(cache.get(0, 1)).toBe(upright);
    expect(cache.rotated).toBe(3);
    cache.get(1, 0); // evicted, made again
    expect(cache.rotated).toBe(4);
  });
});

describe("samplePairs", () => {
  it("leaves out the pairs that cannot fit the frame, counts them, and spreads the rest evenly", () => {
    // the first is 150 px long once decimated, longer than the frame's diagonal: it fits at no angle
    const chromosomes = [bar(1, 300), bar(2, 40), bar(3, 30), bar(4, 36)];
    const { samples, pairs, work } = samplePairs(chromosomes, {
      ...sampling,
      count: 30,
      random: seededRandom(1),
    });
    expect(pairs).toBe(6);
    expect(samples.count).toBe(30);
    expect(work.pairsUnplaced).toBe(3);
    expect(work.pairsVisited).toBe(33);
    expect(work.placementsTried).toBeGreaterThanOrEqual(3 * TRIES_PER_PAIR);
    const perPair = new Map<string, number>();
    for (let s = 0; s < samples.count; s++) {
      const ids = [samples.pairIds[2 * s], samples.pairIds[2 * s + 1]];
      expect(ids).not.toContain(0);
      const key = [...ids].sort().join("-");
      perPair.set(key, (perPair.get(key) ?? 0) + 1);
    }
    expect([...perPair.values()]).toEqual([10, 10, 10]);
  });

  it("labels 1 the smaller chromosome, named first in pair_ids", () => {
    const chromosomes = [bar(1, 40), bar(2, 30, 6)];
    const { samples } = samplePairs(chromosomes, {
      ...sampling,
      count: 20,
      random: seededRandom(2),
    });
    const px = FRAME_HEIGHT * FRAME_WIDTH;
    for (let s = 0; s < samples.count; s++) {
      expect([samples.pairIds[2 * s], samples.pairIds[2 * s + 1]]).toEqual([1, 0]);
      const counts = [0, 0, 0, 0];
      for (const v of samples.labels.subarray(s * px, (s + 1) * px)) counts[v]++;
      expect(counts[1]).toBeLessThan(counts[2]);
      expect(counts[3]).toBeGreaterThanOrEqual(5);
    }
  });

  it("never makes a sample twice, and stops short when the pairs run out of new placements", () => {
    // two angles and a coarse grid leave a few dozen placements of this one pair
    const { samples, work } = samplePairs([bar(1, 40), bar(2, 30)], {
      angles: 2,
      offsetStep: 7,
      minOverlap: 5,
      count: 1000,
      random: seededRandom(3),
    });
    expect(samples.count).toBeGreaterThan(10);
    expect(samples.count).toBeLessThan(1000);
    expect(work.pairsUnplaced).toBe(0);
    const px = FRAME_HEIGHT * FRAME_WIDTH;
    const seen = new Set<string>();
    for (let s = 0; s < samples.count; s++) {
      const hash = createHash("sha256");
      hash.update(samples.labels.subarray(s * px, (s + 1) * px));
      seen.add(hash.digest("hex"));
    }
    expect(seen.size).toBe(samples.count);
  });

  it("mixes crossings with dimmed overlaps, touching pairs and single chromosomes", () => {
    const chromosomes = [bar(1, 40), bar(2, 30, 6), bar(3, 36)];
    const { samples } = samplePairs(chromosomes, {
      ...sampling,
      count: 300,
      mix: { crossing: 0.5, touching: 0.25, single: 0.25 },
      overlapGain: [0.7, 0.7],
      random: seededRandom(4),
    });
    const px = FRAME_HEIGHT * FRAME_WIDTH;
    const kinds = { crossing: 0, touching: 0, single: 0 };
    const singles = new Set<number>();
    let brightestOverlap = 0;
    for (let s = 0; s < samples.count; s++) {
      const labels = samples.labels.subarray(s * px, (s + 1) * px);
      const grey = samples.grey.subarray(s * px, (s + 1) * px);
      const counts = [0, 0, 0, 0];
      for (const v of labels) counts[v]++;
      const [first, second] = [samples.pairIds[2 * s], samples.pairIds[2 * s + 1]];
      if (second === NO_PARTNER) {
        kinds.single++;
        singles.add(first);
        // a quarter of the bar once decimated, give or take what the rotation rounds
        expect(Math.abs(counts[1] - chromosomes[first].area / 4)).toBeLessThan(10);
        expect(counts[2] + counts[3]).toBe(0);
      } else if (counts[3] > 0) {
        kinds.crossing++;
        for (let i = 0; i < px; i++)
          if (labels[i] === 3) brightestOverlap = Math.max(brightestOverlap, grey[i]);
      } else {
        kinds.touching++;
        expect(counts[1] * counts[2]).toBeGreaterThan(0);
        expect(touches(labels)).toBe(true);
      }
    }
    expect(samples.count).toBe(300);
    expect(kinds.crossing).toBeGreaterThan(120);
    expect(kinds.touching).toBeGreaterThan(50);
    // each chromosome alone at most once per angle: 3 × 12 singles, then crossings instead
    expect(kinds.single).toBeGreaterThan(30);
    expect(kinds.single).toBeLessThanOrEqual(36);
    expect([...singles].sort()).toEqual([0, 1, 2]);
    // 100 + 100 where the bars cross (less on their rotated edges), times 0.7
    expect(brightestOverlap).toBe(140);
  });

  it("smooths the grey near a crossing's overlap when asked, so the overlap has no sharp edge", () => {
    const chromosomes = [bar(1, 40), bar(2, 30, 6), bar(3, 36)];
    const steepestStep = (overlapBlur?: readonly [number, number]) => {
      const { samples } = samplePairs(chromosomes, {
        ...sampling,
        count: 100,
        overlapBlur,
        random: seededRandom(5),
      });
      const px = FRAME_HEIGHT * FRAME_WIDTH;
      let steepest = 0;
      for (let s = 0; s < samples.count; s++) {
        const labels = samples.labels.subarray(s * px, (s + 1) * px);
        const grey = samples.grey.subarray(s * px, (s + 1) * px);
        for (let i = 0; i + 1 < px; i++)
          if (labels[i] && labels[i + 1] && (labels[i] === 3) !== (labels[i + 1] === 3))
            steepest = Math.max(steepest, Math.abs(grey[i] - grey[i + 1]));
      }
      return steepest;
    };
    // bars of grey 100: the plain sum steps by 100 or more (from a rotated bar's dim edge) into 200
    const sharp = steepestStep();
    expect(sharp).toBeGreaterThanOrEqual(100);
    expect(steepestStep([1, 1])).toBeLessThan(sharp / 2);
  });
});

/** Whether a pixel labelled 1 has a pixel labelled 2 among its 8 neighbours. */
function touches(labels: Uint8Array): boolean {
  for (let y = 1; y < FRAME_HEIGHT - 1; y++)
    for (let x = 1; x < FRAME_WIDTH - 1; x++) {
      if (labels[y * FRAME_WIDTH + x] !== 1) continue;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++)
          if (labels[(y + dy) * FRAME_WIDTH + x + dx] === 2) return true;
    }
  return false;
}
