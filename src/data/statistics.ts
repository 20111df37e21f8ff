/**
 * What `chromoseg inspect` reports about a dataset: label histogram, per-class pixel counts per
 * sample, how many samples hold an overlap.
 */
import { CLASS_NAMES, NUM_CLASSES } from "../classes.js";
import type { ClassName } from "../classes.js";
import type { LoadedDataset } from "./hdf5.js";
import type { LabelCleaning } from "./label-policy.js";

/** Percentiles of one class's pixel count per sample. */
export interface PixelCountSpread {
  p10: number;
  median: number;
  p90: number;
}

export interface DatasetStatistics {
  file: string;
  key: string;
  /** (N, height, width, 2) */
  shape: [number, number, number, number];
  dtype: string;
  /**
   * Pixels per whole-number label value as stored, before cleaning, values above 3 included;
   * negative, fractional and NaN labels are counted in `cleaning`.
   */
  labelHistogram: Record<string, number>;
  cleaning: LabelCleaning;
  /** Pixels of each class per sample, after cleaning. */
  pixelsPerSample: Record<ClassName, PixelCountSpread>;
  /** Fraction of samples with at least one overlap pixel, 0–1. */
  samplesWithOverlap: number;
  /** Overlap pixels over all chromosome pixels (classes 1–3), 0–1. */
  overlapFraction: number;
  hasPairIds: boolean;
  distinctPairs: number | null;
  attributes: Record<string, unknown>;
}

export function datasetStatistics(loaded: LoadedDataset): DatasetStatistics {
  const { info, samples, storedLabelHistogram, cleaning } = loaded;
  const px = samples.height * samples.width;
  const counts = Array.from({ length: NUM_CLASSES }, () => new Int32Array(samples.count));
  for (let s = 0; s < samples.count; s++) {
    for (let i = s * px; i < (s + 1) * px; i++) counts[samples.labels[i]][s]++;
  }
  const totals = counts.map((c) => c.reduce((sum, v) => sum + v, 0));
  const labelHistogram: Record<string, number> = {};
  storedLabelHistogram.forEach((n, value) => {
    if (n > 0) labelHistogram[value === 255 ? "≥255" : String(value)] = n;
  });
  const pixelsPerSample = Object.fromEntries(
    CLASS_NAMES.map((name, c) => [name, spread(counts[c])]),
  ) as Record<ClassName, PixelCountSpread>;
  const overlapSamples = counts[3].reduce((n, v) => n + (v > 0 ? 1 : 0), 0);
  return {
    file: info.file,
    key: info.key,
    shape: [info.count, info.height, info.width, 2],
    dtype: info.dtype,
    labelHistogram,
    cleaning,
    pixelsPerSample,
    samplesWithOverlap: overlapSamples / samples.count,
    overlapFraction: totals[3] / Math.max(1, totals[1] + totals[2] + totals[3]),
    hasPairIds: info.hasPairIds,
    distinctPairs: samples.pairIds ? countPairs(samples.pairIds) : null,
    attributes: info.attributes,
  };
}

function spread(values: Int32Array): PixelCountSpread {
  const sorted = values.slice().sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p10: at(0.1), median: at(0.5), p90: at(0.9) };
}

/** Distinct pairs; single chromosomes (a negative partner id) are no pair. */
function countPairs(pairIds: Int32Array): number {
  const pairs = new Set<string>();
  for (let i = 0; i < pairIds.length; i += 2) {
    if (pairIds[i] < 0 || pairIds[i + 1] < 0) continue;
    const [a, b] = [pairIds[i], pairIds[i + 1]].sort((x, y) => x - y);
    pairs.add(`${a}-${b}`);
  }
  return pairs.size;
}
