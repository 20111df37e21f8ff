/**
 * Contact sheets: a grid of samples, each shown as a row of panels of the same size: grey
 * input, labels in the shared palette, or error pixels.
 */
import sharp from "sharp";
import { PALETTE } from "../classes.js";
import type { SampleSet } from "../data/samples.js";

export interface ContactSheetOptions {
  /** Samples shown, from the first. Default 64. */
  count?: number;
  /** Samples per row. Default 8. */
  columns?: number;
  /** Each sample pixel becomes scale × scale screen pixels. Default 2. */
  scale?: number;
}

/** One panel of a sample: a height × width plane and how to colour it. */
export type Panel =
  | { grey: Uint8Array }
  | { labels: Uint8Array }
  /** Pixels where `predicted` differs from `truth` in red, the rest dark. */
  | { truth: Uint8Array; predicted: Uint8Array };

/** Pixels between the panels of a sample and between samples, before scaling. */
const PANEL_GAP = 2;
const CELL_GAP = 6;
const SHEET_GREY = 40;
const ERROR_RGB = [255, 40, 40] as const;
const CORRECT_RGB = [24, 24, 24] as const;

interface SheetShape {
  count: number;
  height: number;
  width: number;
  /** Panels per sample. */
  panels: number;
}

/** Size in pixels of the sheet `renderSheet` makes for this shape and options. */
export function sheetSize(
  shape: SheetShape,
  options: ContactSheetOptions = {},
): { width: number; height: number } {
  const { columns, rows, scale } = layout(shape.count, options);
  const cellWidth = shape.panels * shape.width + (shape.panels - 1) * PANEL_GAP;
  return {
    width: scale * (columns * cellWidth + (columns + 1) * CELL_GAP),
    height: scale * (rows * shape.height + (rows + 1) * CELL_GAP),
  };
}

function layout(count: number, options: ContactSheetOptions) {
  const shown = Math.min(count, options.count ?? 64);
  const columns = Math.max(1, Math.min(shown, options.columns ?? 8));
  return {
    shown,
    columns,
    rows: Math.max(1, Math.ceil(shown / columns)),
    scale: options.scale ?? 2,
  };
}

/** Renders `cells` (each a row of panels of `height` × `width`) as a PNG grid. */
export async function renderSheet(
  cells: Panel[][],
  height: number,
  width: number,
  options: ContactSheetOptions = {},
): Promise<Buffer> {
  const panels = cells[0]?.length ?? 1;
  const { shown, columns, scale } = layout(cells.length, options);
  const size = sheetSize({ count: cells.length, height, width, panels }, options);
  const sheetWidth = size.width / scale;
  const rgb = Buffer.alloc(sheetWidth * (size.height / scale) * 3, SHEET_GREY);
  const cellWidth = panels * width + (panels - 1) * PANEL_GAP;
  for (let s = 0; s < shown; s++) {
    const top = CELL_GAP + Math.floor(s / columns) * (height + CELL_GAP);
    cells[s].forEach((panel, p) => {
      const left = CELL_GAP + (s % columns) * (cellWidth + CELL_GAP) + p * (width + PANEL_GAP);
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          rgb.set(panelColour(panel, y * width + x), ((top + y) * sheetWidth + left + x) * 3);
        }
      }
    });
  }
  return sharp(rgb, { raw: { width: sheetWidth, height: size.height / scale, channels: 3 } })
    .resize(size.width, size.height, { kernel: "nearest" })
    .png()
    .toBuffer();
}

function panelColour(panel: Panel, i: number): readonly number[] {
  if ("grey" in panel) return [panel.grey[i], panel.grey[i], panel.grey[i]];
  if ("labels" in panel) return PALETTE[panel.labels[i]] ?? [255, 255, 255];
  return panel.truth[i] === panel.predicted[i] ? CORRECT_RGB : ERROR_RGB;
}

/** Size of the sheet `renderContactSheet` makes. */
export function contactSheetSize(
  set: Pick<SampleSet, "count" | "height" | "width">,
  options: ContactSheetOptions = {},
): { width: number; height: number } {
  return sheetSize({ ...set, panels: 2 }, options);
}

/** The first samples of a dataset: grey input on the left, labels in the palette on the right. */
export async function renderContactSheet(
  set: SampleSet,
  options: ContactSheetOptions = {},
): Promise<Buffer> {
  const px = set.height * set.width;
  const cells = Array.from({ length: Math.min(set.count, options.count ?? 64) }, (_, s) => [
    { grey: set.grey.subarray(s * px, (s + 1) * px) },
    { labels: set.labels.subarray(s * px, (s + 1) * px) },
  ]);
  return renderSheet(cells, set.height, set.width, options);
}
