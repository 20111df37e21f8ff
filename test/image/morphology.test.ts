import { describe, expect, it } from "vitest";
import { labelComponents } from "../../src/image/morphology.js";

/** A mask from rows of '#' (1) and '.' (0). */
function mask(rows: string[]): { data: Uint8Array; width: number; height: number } {
  return {
    data: Uint8Array.from(rows.join("").split(""), (c) => (c === "#" ? 1 : 0)),
    width: rows[0].length,
    height: rows.length,
  };
}

describe("labelComponents", () => {
  it("numbers objects in raster order of their first pixel, as skimage.measure.label does", () => {
    // the object whose top row comes first is 1 even though the other reaches further left and lower
    const { data, width, height } = mask(["....##", "#...#.", "#.....", "##...."]);
    const { labels, count } = labelComponents(data, width, height);
    expect(count).toBe(2);
    expect(labels[4]).toBe(1);
    expect(labels[width]).toBe(2);
  });
});
