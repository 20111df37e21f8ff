import { describe, expect, it } from "vitest";
import { PALETTE } from "../../src/classes.js";
import type { PerClass } from "../../src/classes.js";
import { renderTrainingCurve } from "../../src/render/training-curve.js";
import type { CurvePoint } from "../../src/render/training-curve.js";
import { decodePng } from "../png.js";
import type { DecodedPng } from "../png.js";

/** Each panel is 420 × 280; its plot spans x 56–404 and y 48–240 within it. */
const PANEL_WIDTH = 420;
const PLOT = { left: 56, width: 348, top: 48, height: 192 };

/** Three epochs whose IoU lines are flat: chromosome A highest, background lowest. */
const IOU: PerClass = { background: 0.2, chromosomeA: 0.9, chromosomeB: 0.55, overlap: 0.4 };
const history: CurvePoint[] = [1, 2, 3].map((epoch) => ({
  epoch,
  loss: 1 / epoch,
  valLoss: 1.2 / epoch,
  valIoU: IOU,
}));

function near(actual: number[], expected: readonly number[], tolerance = 3): boolean {
  return expected.every((c, i) => Math.abs(actual[i] - c) <= tolerance);
}

/** Whether any pixel of column x, between rows y0 and y1, passes `test`. */
function columnHas(
  png: DecodedPng,
  x: number,
  [y0, y1]: [number, number],
  test: (rgb: number[]) => boolean,
): boolean {
  for (let y = y0; y <= y1; y++) if (test(png.pixel(x, y).slice(0, 3))) return true;
  return false;
}

describe("training curve", () => {
  it("draws loss and per-class IoU side by side, each class in its palette colour", async () => {
    const png = await decodePng(await renderTrainingCurve(history, null));
    expect([png.format, png.width, png.height]).toEqual(["png", 2 * PANEL_WIDTH, 280]);
    expect(near(png.pixel(2, 2), [255, 255, 255], 0)).toBe(true);
    // mid-plot in the IoU panel, one row above each flat line's y (its 2-pixel stroke covers it);
    // on the panel's scale (0.2 to 0.9 over rows 240 to 48) A, B and background lie at rows
    // 48, 144 and 240
    const x = PANEL_WIDTH + PLOT.left + PLOT.width / 2;
    expect(png.pixel(x, 47).slice(0, 3)).toEqual([...PALETTE[1]]);
    expect(png.pixel(x, 143).slice(0, 3)).toEqual([...PALETTE[2]]);
    // background is black in the palette: its line is grey on the white plot
    expect(png.pixel(x, 239).slice(0, 3)).toEqual([136, 136, 136]);
    // the loss panel, on a scale from the lowest loss (1/3) to the highest (1.2): the training
    // loss falls from 1 at epoch 1 (row 92.3) to 1/3 at epoch 3 (row 240)
    const dark = (rgb: number[]) => near(rgb, [0x33, 0x33, 0x33]);
    expect(columnHas(png, PLOT.left + 2, [88, 98], dark)).toBe(true);
    expect(columnHas(png, PLOT.left + 2, [48, 86], dark)).toBe(false);
    expect(columnHas(png, PLOT.left + PLOT.width - 4, [230, 241], dark)).toBe(true);
  });

  it("marks the best epoch with a green line, and nothing when there is none", async () => {
    // epoch 2 of 1–3, mid-plot of the loss panel: a 1-pixel line between columns 229 and 230
    const x = PLOT.left + PLOT.width / 2;
    const greenish = ([r, g, b]: number[]) => g - r > 40 && g - b > 10;
    const found = async (best: number | null) => {
      const png = await decodePng(await renderTrainingCurve(history, best));
      return [x - 1, x].some((column) => columnHas(png, column, [PLOT.top + 2, 80], greenish));
    };
    expect(await found(2)).toBe(true);
    expect(await found(null)).toBe(false);
  });

  it("draws a single epoch as dots, one per series, on the left edge of the plot", async () => {
    const png = await decodePng(await renderTrainingCurve(history.slice(0, 1), 1));
    // loss 1 and validation loss 1.2: the bottom and the top of the loss panel's scale
    expect(near(png.pixel(PLOT.left, PLOT.top), [0xd5, 0x5e, 0x00])).toBe(true);
    expect(near(png.pixel(PLOT.left, PLOT.top + PLOT.height), [0x33, 0x33, 0x33])).toBe(true);
    // chromosome A highest, chromosome B at mid-height of the IoU panel
    expect(near(png.pixel(PANEL_WIDTH + PLOT.left, PLOT.top), PALETTE[1])).toBe(true);
    const mid = PLOT.top + PLOT.height / 2;
    expect(near(png.pixel(PANEL_WIDTH + PLOT.left, mid), PALETTE[2])).toBe(true);
  });
});
