import { describe, expect, it } from "vitest";
import { clearBorder } from "../../src/image/clear-border.js";

/** A mask from rows of '#' (1) and '.' (0). */
function mask(rows: string[]): { data: Uint8Array; width: number; height: number } {
  return {
    data: Uint8Array.from(rows.join("").split(""), (c) => (c === "#" ? 1 : 0)),
    width: rows[0].length,
    height: rows.length,
  };
}

function picture(data: Uint8Array, width: number): string[] {
  return Array.from({ length: data.length / width }, (_, y) =>
    Array.from(data.subarray(y * width, (y + 1) * width), (v) => (v ? "#" : ".")).join(""),
  );
}

describe("clearBorder", () => {
  it("with buffer 3 removes objects reaching the outer 4 rows or columns, 8-connected parts included", () => {
    // 12 × 12: the zone is rows and columns 0–3 and 8–11; only rows/columns 4–7 are safe
    const { data, width, height } = mask([
      "............",
      "............",
      "............",
      "...#........", // reaches row 3 (in the zone) …
      "....#.......", // … and takes its diagonal neighbour with it
      "......##....", // inside 4–7: kept
      "......##....",
      "............",
      "........#...", // column 8, row 8: in the zone
      "............",
      "............",
      "............",
    ]);
    expect(picture(clearBorder(data, width, height, 3), width)).toEqual([
      "............",
      "............",
      "............",
      "............",
      "............",
      "......##....",
      "......##....",
      "............",
      "............",
      "............",
      "............",
      "............",
    ]);
  });
});
