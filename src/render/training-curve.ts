/**
 * The training curve: loss (training and validation) and validation IoU per class against the
 * epoch, as a PNG drawn from SVG.
 */
import sharp from "sharp";
import { CLASS_NAMES, PALETTE } from "../classes.js";
import type { PerClass } from "../classes.js";

/** What the curve shows of an epoch (train/training-report.ts's EpochRecord has it). */
export interface CurvePoint {
  epoch: number;
  /** Mean training loss. */
  loss: number;
  valLoss: number;
  valIoU: PerClass;
}

const PANEL = { width: 420, height: 280, left: 56, right: 16, top: 48, bottom: 40 };
const LEGEND_NAMES: Record<string, string> = { chromosomeA: "chrom. A", chromosomeB: "chrom. B" };
/** The background class is black in the palette: draw its line grey on the white plot. */
const BACKGROUND_LINE = "#888888";

interface Series {
  name: string;
  colour: string;
  dashed?: boolean;
  values: number[];
}

export async function renderTrainingCurve(
  history: CurvePoint[],
  bestEpoch: number | null,
): Promise<Buffer> {
  const epochs = history.map((r) => r.epoch);
  const loss = panel("loss", epochs, bestEpoch, 0, [
    { name: "training", colour: "#333333", values: history.map((r) => r.loss) },
    { name: "validation", colour: "#d55e00", dashed: true, values: history.map((r) => r.valLoss) },
  ]);
  const iou = panel(
    "validation IoU",
    epochs,
    bestEpoch,
    PANEL.width,
    CLASS_NAMES.map((name, c) => ({
      name,
      colour: c === 0 ? BACKGROUND_LINE : rgb(PALETTE[c]),
      values: history.map((r) => r.valIoU[name]),
    })),
  );
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * PANEL.width}" height="${PANEL.height}" font-family="sans-serif" font-size="11">
<rect width="100%" height="100%" fill="white"/>${loss}${iou}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

function panel(
  title: string,
  epochs: number[],
  bestEpoch: number | null,
  offsetX: number,
  series: Series[],
): string {
  const plotW = PANEL.width - PANEL.left - PANEL.right;
  const plotH = PANEL.height - PANEL.top - PANEL.bottom;
  const finite = series.flatMap((s) => s.values).filter(Number.isFinite);
  let low = Math.min(...finite);
  let high = Math.max(...finite);
  if (high - low < 1e-9) [low, high] = [low - 0.5, high + 0.5];
  const firstEpoch = epochs[0];
  const lastEpoch = Math.max(epochs[epochs.length - 1], firstEpoch + 1);
  const x = (e: number) =>
    offsetX + PANEL.left + ((e - firstEpoch) / (lastEpoch - firstEpoch)) * plotW;
  const y = (v: number) => PANEL.top + (1 - (v - low) / (high - low)) * plotH;
  const parts: string[] = [
    `<text x="${offsetX + PANEL.left}" y="18" font-size="13" font-weight="bold">${title}</text>`,
    `<rect x="${offsetX + PANEL.left}" y="${PANEL.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#bbbbbb"/>`,
  ];
  for (const v of [low, (low + high) / 2, high]) {
    parts.push(
      `<text x="${offsetX + PANEL.left - 4}" y="${y(v) + 4}" text-anchor="end">${formatTick(v)}</text>`,
    );
  }
  for (const e of ticks(firstEpoch, lastEpoch)) {
    parts.push(`<text x="${x(e)}" y="${PANEL.top + plotH + 14}" text-anchor="middle">${e}</text>`);
  }
  parts.push(
    `<text x="${offsetX + PANEL.left + plotW / 2}" y="${PANEL.height - 8}" text-anchor="middle">epoch</text>`,
  );
  if (bestEpoch !== null) {
    parts.push(
      `<line x1="${x(bestEpoch)}" x2="${x(bestEpoch)}" y1="${PANEL.top}" y2="${PANEL.top + plotH}" stroke="#009e73" stroke-dasharray="2 3"/>`,
    );
  }
  series.forEach((s, k) => {
    const points = s.values
      .map((v, i) => (Number.isFinite(v) ? `${x(epochs[i]).toFixed(1)},${y(v).toFixed(1)}` : ""))
      .filter(Boolean);
    const dash = s.dashed ? ' stroke-dasharray="6 3"' : "";
    parts.push(
      `<polyline points="${points.join(" ")}" fill="none" stroke="${s.colour}" stroke-width="2"${dash}/>`,
    );
    if (points.length === 1)
      parts.push(
        `<circle cx="${points[0].split(",")[0]}" cy="${points[0].split(",")[1]}" r="3" fill="${s.colour}"/>`,
      );
    const legendX = offsetX + PANEL.left + k * 88;
    parts.push(
      `<line x1="${legendX}" x2="${legendX + 16}" y1="32" y2="32" stroke="${s.colour}" stroke-width="2"${dash}/>`,
    );
    parts.push(`<text x="${legendX + 20}" y="36">${LEGEND_NAMES[s.name] ?? s.name}</text>`);
  });
  return parts.join("\n");
}

function ticks(first: number, last: number): number[] {
  const step = Math.max(1, Math.ceil((last - first) / 8));
  const out: number[] = [];
  for (let e = first; e <= last; e += step) out.push(e);
  return out;
}

function formatTick(v: number): string {
  return Math.abs(v) >= 10 ? v.toFixed(0) : v.toPrecision(3);
}

function rgb([r, g, b]: readonly number[]): string {
  return `rgb(${r},${g},${b})`;
}
