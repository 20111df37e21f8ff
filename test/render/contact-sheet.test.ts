import { describe, expect, it } from "vitest";
import { PALETTE } from "../../src/classes.js";
import { allocateSamples } from "../../src/data/samples.js";
import {
  contactSheetSize,
  renderContactSheet,
  renderSheet,
  sheetSize,
} from "../../src/render/contact-sheet.js";
import type { Panel } from "../../src/render/contact-sheet.js";
import { decodePng } from "../png.js";

const HEIGHT = 4;
const WIDTH = 5;
const SHEET_GREY = [40, 40, 40];
const ERROR_RED = [255, 40, 40];
const CORRECT_DARK = [24, 24, 24];

/** Labels 0–3 cycling along the rows of a panel. */
const labels = Uint8Array.from({ length: HEIGHT * WIDTH }, (_, i) => i % 4);
/** Wrong where x is 0. */
const predicted = labels.map((label, i) => (i % WIDTH === 0 ? (label + 1) % 4 : label));

describe("contact sheet", () => {
  it("lays out cells of panels on a grid, each sample pixel a scale × scale square", async () => {
    const cells: Panel[][] = Array.from({ length: 3 }, () => [
      { labels },
      { truth: labels, predicted },
    ]);
    const options = { columns: 2, scale: 3 };
    const sheet = await decodePng(await renderSheet(cells, HEIGHT, WIDTH, options));
    expect(sheet.format).toBe("png");
    // cell: 2 panels of 5 and a gap of 2; 2 columns, 2 rows, gaps of 6 around and between cells
    expect([sheet.width, sheet.height]).toEqual([3 * (2 * 12 + 3 * 6), 3 * (2 * 4 + 3 * 6)]);
    expect(sheetSize({ count: 3, height: HEIGHT, width: WIDTH, panels: 2 }, options)).toEqual({
      width: sheet.width,
      height: sheet.height,
    });

    /** The colour of pixel (x, y) of panel `p` of the cell at `row`, `column`, mid-square. */
    const at = (row: number, column: number, p: number, x: number, y: number) =>
      sheet.pixel(
        3 * (6 + column * (12 + 6) + p * (WIDTH + 2) + x) + 1,
        3 * (6 + row * (HEIGHT + 6) + y) + 1,
      );
    for (const [row, column] of [
      [0, 0],
      [0, 1],
      [1, 0],
    ]) {
      for (let i = 0; i < labels.length; i++) {
        const [x, y] = [i % WIDTH, Math.floor(i / WIDTH)];
        expect(at(row, column, 0, x, y), `label at ${x}, ${y}`).toEqual([...PALETTE[labels[i]]]);
        expect(at(row, column, 1, x, y)).toEqual(x === 0 ? ERROR_RED : CORRECT_DARK);
      }
    }
    // the gaps, and the fourth place of the grid, which no sample fills
    expect(sheet.pixel(0, 0)).toEqual(SHEET_GREY);
    expect(at(0, 0, 1, -1, 0)).toEqual(SHEET_GREY);
    expect(at(1, 1, 0, 2, 2)).toEqual(SHEET_GREY);
  });

  it("shows a sample as its grey input beside its labels, the first `count` samples only", async () => {
    const set = allocateSamples(5, HEIGHT, WIDTH);
    const px = HEIGHT * WIDTH;
    for (let s = 0; s < set.count; s++)
      for (let i = 0; i < px; i++) {
        set.grey[s * px + i] = 10 * s + i;
        set.labels[s * px + i] = (s + i) % 4;
      }
    const options = { count: 3, columns: 3, scale: 1 };
    const sheet = await decodePng(await renderContactSheet(set, options));
    expect([sheet.width, sheet.height]).toEqual([3 * 12 + 4 * 6, 4 + 2 * 6]);
    expect(contactSheetSize(set, options)).toEqual({ width: sheet.width, height: sheet.height });
    for (let s = 0; s < 3; s++) {
      const left = 6 + s * (12 + 6);
      for (const [x, y] of [
        [0, 0],
        [4, 3],
        [2, 1],
      ]) {
        const i = y * WIDTH + x;
        const grey = 10 * s + i;
        expect(sheet.pixel(left + x, 6 + y)).toEqual([grey, grey, grey]);
        expect(sheet.pixel(left + WIDTH + 2 + x, 6 + y)).toEqual([...PALETTE[(s + i) % 4]]);
      }
    }
  });

  it("paints a value outside the palette white", async () => {
    const odd = new Uint8Array(HEIGHT * WIDTH).fill(7);
    const sheet = await decodePng(await renderSheet([[{ labels: odd }]], HEIGHT, WIDTH));
    expect(sheet.pixel(2 * 6, 2 * 6)).toEqual([255, 255, 255]);
  });
});
