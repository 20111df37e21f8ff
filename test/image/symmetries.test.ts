import { describe, expect, it } from "vitest";
import { SYMMETRIES, transformPlane } from "../../src/image/symmetries.js";

describe("symmetries", () => {
  it("has 8 distinct symmetries, each a permutation of the pixels", () => {
    const source = Uint8Array.from({ length: 3 * 5 }, (_, i) => i);
    const results = new Set<string>();
    for (const symmetry of SYMMETRIES) {
      const target = new Uint8Array(15);
      const size = transformPlane(source, 3, 5, symmetry, target);
      expect(size).toEqual(symmetry.transpose ? { height: 5, width: 3 } : { height: 3, width: 5 });
      expect([...target].sort((a, b) => a - b)).toEqual([...source]);
      results.add(target.join(","));
    }
    expect(results.size).toBe(8);
  });
});
