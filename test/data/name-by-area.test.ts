import { describe, expect, it } from "vitest";
import {
  chromosomeAreas,
  nameByArea,
} from "../../src/data/name-by-area.js";

describe("naming chromosomes by area", () => {
  it("counts the overlap in both chromosomes", () => {
    expect(chromosomeAreas([0, 1, 1, 2, 3, 3])).toEqual({ a: 4, b: 3 });
  });

  it("swaps 1 and 2 when A is the larger, and only then", () => {
    const larger = Uint8Array.from([0, 1, 1, 1, 2, 3]);
    expect(nameByArea(larger)).toBe(true);
    expect([...larger]).toEqual([0, 2, 2, 2, 1, 3]);
    expect(nameByArea(larger)).toBe(false);
    expect([...larger]).toEqual([0, 2, 2, 2, 1, 3]);
  });

  it("calls a lone chromosome A, whichever channel it came in", () => {
    const lone = Uint8Array.from([0, 2, 2, 2]);
    expect(nameByArea(lone)).toBe(true);
    expect([...lone]).toEqual([0, 1, 1, 1]);
    expect(nameByArea(lone)).toBe(false);
    expect(nameByArea(Uint8Array.from([0, 0]))).toBe(false);
  });

  it("keeps the names on a tie", () => {
    const tie = Uint8Array.from([1, 2, 3]);
    expect(nameByArea(tie)).toBe(false);
    expect([...tie]).toEqual([1, 2, 3]);
  });
});
