/**
 * Contact sheets: a grid of samples, each shown as its grey input beside its colour-coded labels.
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

/** Pixels between the two panels of a sample and between samples, before scaling. */
const PANEL_GAP = 2;
const CELL_GAP = 6;

/** Size in pixels of the sheet `renderContactSheet` makes for these samples and options. */
export function contactSheetSize(
  set: Pick<SampleSet, "count" | "height" | "width">,
  options: ContactSheetOptions = {},
): { width: number; height: number } {
  const { columns, rows, scale } = layout(set, options);
  return {
    width: scale * (columns * (2 * set.width + PANEL_GAP) + (columns + 1) * CELL_GAP),
    height: scale * (rows * set.height + (rows + 1) * CELL_GAP),
  };
}

function layout(set: Pick<SampleSet, "count">, options: ContactSheetOptions) {
  const shown = Math.min(set.count, options.count ?? 64);
  const columns = Math.max(1, Math.min(shown, options.columns ?? 8));
  return {
    shown,
    columns,
    rows: Math.max(1, Math.ceil(shown / columns)),
    scale: options.scale ?? 2,
  };
}

/** Renders the first samples as a PNG: grey input on the left, labels in the palette on the right. */
export async function renderContactSheet(
  set: SampleSet,
  options: ContactSheetOptions = {},
): Promise<Buffer> {
  const { shown, columns, scale } = layout(set, options);
  const size = contactSheetSize(set, options);
  const width = size.width / scale;
  const height = size.height / scale;
  const rgb = Buffer.alloc(width * height * 3, 40);
  const px = set.height * set.width;
  for (let s = 0; s < shown; s++) {
    const left = CELL_GAP + (s % columns) * (2 * set.width + PANEL_GAP + CELL_GAP);
    const top = CELL_GAP + Math.floor(s / columns) * (set.height + CELL_GAP);
    for (let y = 0; y < set.height; y++) {
      for (let x = 0; x < set.width; x++) {
        const i = s * px + y * set.width + x;
        const grey = ((top + y) * width + left + x) * 3;
        rgb.fill(set.grey[i], grey, grey + 3);
        rgb.set(PALETTE[set.labels[i]] ?? [255, 255, 255], grey + 3 * (set.width + PANEL_GAP));
      }
    }
  }
  return sharp(rgb, { raw: { width, height, channels: 3 } })
    .resize(size.width, size.height, { kernel: "nearest" })
    .png()
    .toBuffer();
}
