import { describe, expect, it } from "vitest";
import { splitDataset } from "../../src/data/splits.js";

/** Pair ids of `count` samples cycling over the pairs of `chromosomes` chromosomes. */
function cyclingPairs(count: number, chromosomes: number): Int32Array {
  const pairs: [number, number][] = [];
  for (let i = 0; i < chromosomes; i++) for (let j = i + 1; j < chromosomes; j++) pairs.push([i, j]);
  const ids = new Int32Array(2 * count);
  for (let s = 0; s < count; s++) {
    const [a, b] = pairs[s % pairs.length];
    // both orders occur: label 1 can be either chromosome of a pair
    ids.set(s % 3 ? [a, b] : [b, a], 2 * s);
  }
  return ids;
}

function expectPartition(count: number, parts: Uint32Array[]): void {
  const all = parts.flatMap((p) => Array.from(p)).sort((a, b) => a - b);
  expect(all).toEqual(Array.from({ length: count }, (_, i) => i));
}

describe("splitDataset", () => {
  it("kaggle: test is the last 20 %, validation the last 5 % of the rest", () => {
    const split = splitDataset("kaggle", 13434);
    expect(split.test.length).toBe(2687);
    expect(split.test[0]).toBe(10747);
    expect(split.validation.length).toBe(538);
    expect(split.train.length).toBe(10209);
    expect(split.validation[split.validation.length - 1]).toBe(10746);
    expectPartition(13434, [split.train, split.validation, split.test]);
  });

  it("seed: test is the last 20 samples", () => {
    const split = splitDataset("seed", 1000);
    expect(Array.from(split.test)).toEqual(Array.from({ length: 20 }, (_, i) => 980 + i));
    expect(split.validation.length).toBe(49);
    expectPartition(1000, [split.train, split.validation, split.test]);
  });

  it("all: every sample is test", () => {
    const split = splitDataset("all", 50);
    expect(split.test.length).toBe(50);
    expect(split.train.length + split.validation.length).toBe(0);
  });

  it("grouped: whole pairs held out, no pair in both train and test", () => {
    const count = 5500;
    const pairIds = cyclingPairs(count, 11);
    const split = splitDataset("grouped", count, pairIds);
    expectPartition(count, [split.train, split.validation, split.test]);
    const pairsOf = (indices: Uint32Array) =>
      new Set(Array.from(indices, (i) => [pairIds[2 * i], pairIds[2 * i + 1]].sort((a, b) => a - b).join("-")));
    const train = pairsOf(split.train);
    const validation = pairsOf(split.validation);
    const test = pairsOf(split.test);
    for (const pair of test) {
      expect(train.has(pair)).toBe(false);
      expect(validation.has(pair)).toBe(false);
    }
    for (const pair of validation) expect(train.has(pair)).toBe(false);
    expect(split.test.length / count).toBeGreaterThanOrEqual(0.2);
    expect(split.test.length / count).toBeLessThan(0.25);
    expect(split.validation.length).toBeGreaterThan(0);
  });

  it("is deterministic", () => {
    const pairIds = cyclingPairs(2000, 8);
    expect(splitDataset("grouped", 2000, pairIds)).toEqual(splitDataset("grouped", 2000, pairIds));
    expect(splitDataset("grouped", 2000, pairIds, { seed: 3 }).test).not.toEqual(splitDataset("grouped", 2000, pairIds).test);
  });

  it("grouped needs pair ids", () => {
    expect(() => splitDataset("grouped", 100)).toThrow(/needs pair_ids/);
  });
});
