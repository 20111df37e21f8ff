import { describe, expect, it } from "vitest";
import { lazyShuffle, seededRandom } from "../src/random.js";

function drawAll(next: () => number | undefined): number[] {
  const drawn: number[] = [];
  for (let k = next(); k !== undefined; k = next()) drawn.push(k);
  return drawn;
}

describe("lazyShuffle", () => {
  it("draws every element once, then undefined", () => {
    const drawn = drawAll(lazyShuffle(1000, seededRandom(1)));
    expect(drawn).toHaveLength(1000);
    expect([...drawn].sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(drawn.slice(0, 10)).not.toEqual(Array.from({ length: 10 }, (_, i) => i));
  });

  it("gives the same order for the same seed and another for another", () => {
    const order = (seed: number) => drawAll(lazyShuffle(200, seededRandom(seed)));
    expect(order(4)).toEqual(order(4));
    expect(order(4)).not.toEqual(order(5));
  });

  it("draws a prefix of a shuffle of ten billion without touching the rest", () => {
    const next = lazyShuffle(1e10, seededRandom(2));
    const prefix = Array.from({ length: 10000 }, () => next()!);
    expect(new Set(prefix).size).toBe(10000);
    expect(Math.max(...prefix)).toBeLessThan(1e10);
    expect(Math.max(...prefix)).toBeGreaterThan(9e9);
  });

  it("reaches every element of a shuffle of more than 2^32, odd ones first as often as even", () => {
    // one 32-bit draw times 2^33 is always even
    const firsts = Array.from({ length: 400 }, (_, seed) =>
      lazyShuffle(2 ** 33, seededRandom(seed))()!,
    );
    const odd = firsts.filter((k) => k % 2 === 1).length;
    expect(Math.abs(odd - 200)).toBeLessThan(40);
  });

  it("puts each element first about equally often", () => {
    const firsts = new Array<number>(5).fill(0);
    const random = seededRandom(3);
    for (let k = 0; k < 5000; k++) firsts[lazyShuffle(5, random)()!]++;
    for (const n of firsts) expect(Math.abs(n - 1000)).toBeLessThan(100);
  });
});
