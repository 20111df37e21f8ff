/**
 * The `kaggle` preset: the published dataset's recipe (docs/dataset-recipe.md, steps 1–9) from the
 * DAPI and Cy3 images of one metaphase, optionally with the published "Cleaned" labels.
 */
import { basename } from "node:path";
import type { Box } from "../../image/morphology.js";
import { buildOverlapSamples } from "./assemble.js";
import type { OverlapSamples } from "./assemble.js";
import { cleanAllLabels } from "./cleaned-labels.js";
import { findingsAttributes, greyRange, isPublishedSource, labelCounts } from "./findings.js";
import type { KagglePresetFindings } from "./findings.js";
import { readKaggleChannels } from "./read.js";
import { segmentKaggleChromosomes } from "./segment.js";

/** The preset's name (`generate --preset kaggle`), stored with the file. */
export const KAGGLE_PRESET = "kaggle";

/** Stored with the file; raise it when the same inputs and seed give different samples. */
export const KAGGLE_RECIPE_VERSION = "1";

export interface KaggleOptions {
  dapi: string;
  cy3: string;
  /** Seeds the final shuffle, the recipe's only random step. Default 1. */
  seed?: number;
  /** The published "Cleaned" labels instead of the raw ones. */
  cleaned?: boolean;
  /** The part of the slides the recipe works on; default its own, KAGGLE_CROP. For tests. */
  crop?: Box;
  onProgress?: (stage: KaggleStage, done: number, total: number) => void;
}

export type KaggleStage = "segment" | "pairs" | "clean";

export interface KaggleDataset {
  samples: OverlapSamples;
  /** What each step found; the label values are those the samples hold, raw and (if cleaned) cleaned. */
  findings: KagglePresetFindings;
  /** Whether the inputs are the published slides, whose figures docs/dataset-recipe.md gives. */
  publishedSource: boolean;
  attributes: Record<string, string | number>;
}

export async function generateKaggleDataset(options: KaggleOptions): Promise<KaggleDataset> {
  const seed = options.seed ?? 1;
  const progress = options.onProgress ?? (() => {});
  const { dapi, cy3 } = await readKaggleChannels(options.dapi, options.cy3);
  progress("segment", 0, 1);
  const segmentation = segmentKaggleChromosomes(dapi.image, cy3.image, { crop: options.crop });
  progress("segment", 1, 1);
  const { samples, findings: pairing } = buildOverlapSamples(
    segmentation.chromosomes,
    seed,
    (done, total) => progress("pairs", done, total),
  );
  const rawLabelValues = labelCounts(samples.labels);
  const findings: KagglePresetFindings = {
    ...segmentation.findings,
    ...pairing,
    labelValues: rawLabelValues,
    rawLabelValues,
    grey: greyRange(samples.grey),
  };
  if (options.cleaned) {
    findings.overlapsLostInCleaning = cleanAllLabels(samples, (done, total) =>
      progress("clean", done, total),
    );
    findings.labelValues = labelCounts(samples.labels);
  }
  return {
    samples,
    findings,
    publishedSource: isPublishedSource(dapi.sha256, cy3.sha256),
    attributes: {
      generator: `chromoseg generate kaggle ${KAGGLE_RECIPE_VERSION}`,
      preset: KAGGLE_PRESET,
      seed,
      labels: options.cleaned ? "cleaned" : "raw",
      ...findingsAttributes(findings),
      source_files: `${basename(options.dapi)},${basename(options.cy3)}`,
      source_sha256: `${dapi.sha256},${cy3.sha256}`,
    },
  };
}
