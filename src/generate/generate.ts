/**
 * The generator: builds a labelled dataset of overlapping chromosome pairs from real metaphase
 * images, by an approximation of the public dataset's recipe (see docs/dataset-recipe.md; the
 * `kaggle` preset, src/generate/kaggle, follows the recipe itself).
 */
import type { SampleSet } from "../data/samples.js";
import { UserError } from "../errors.js";
import { readGreyImage } from "../image/grey-image.js";
import { meanImage } from "../image/mean-image.js";
import { seededRandom } from "../random.js";
import { findChromosomes } from "../image/find-chromosomes.js";
import { PUBLISHED_FIGURES } from "./kaggle/published-figures.js";
import type { Chromosome, FindResult } from "../image/find-chromosomes.js";
import { samplePairs } from "./sample-pairs.js";
import type { SampleMix, SampledPairs, SamplingWork } from "./sample-pairs.js";

/**
 * 2 draws placements (sample-pairs.ts) where 1 enumerated them; 3 changes the `slides` preset's
 * mix and angles; 4 smooths its composed overlaps. Each gives other files for the same command
 * than the one before.
 */
export const GENERATOR_VERSION = "4";

/**
 * - `like-kaggle`: an approximation of the public dataset's recipe from DAPI alone: 11
 *   chromosomes (every 4th of the area-sorted list), all 55 pairs, as many samples as the
 *   public set (PUBLISHED_FIGURES.samples);
 * - `all`: every accepted chromosome of every input image, samples spread over all their pairs;
 * - `slides`: as `all`, but teaching what a slide holds besides crossings: crossings with the
 *   overlap dimmed to real crossings' brightness, touching pairs, and single chromosomes at 36
 *   angles (each is shown alone at most once per angle, so the angles bound how many singles
 *   there can be; at 12, 157 chromosomes gave 9 % singles where a quarter was asked).
 */
export type Preset = "like-kaggle" | "all" | "slides";
export const PRESETS: readonly Preset[] = ["like-kaggle", "all", "slides"];

interface PresetSettings {
  count: number;
  angles: number;
  offsetStep: number;
  choose: (chromosomes: SourcedChromosome[]) => SourcedChromosome[];
  /** Default: crossings only. */
  mix?: SampleMix;
  /** Default: the plain sum. */
  overlapGain?: readonly [number, number];
  /** σ range of the smoothing near a crossing's overlap, pixels. Default: none. */
  overlapBlur?: readonly [number, number];
}

/**
 * Real crossings are 1.4–2 × as bright as one chromosome (jpp21-m1's X: 130–140 against 90–105);
 * the plain sum of two is about 2 ×.
 */
const REAL_CROSSING_GAIN = [0.7, 1] as const;

/**
 * Real crossings at the training resolution (jpp21-m1's X and jpp21-m2's, looked at decimated ÷ 2)
 * are smooth bright spots, not steps. The σ range (pixels) spans mild to strong smoothing; it was
 * not fitted to those slides.
 */
const REAL_CROSSING_BLUR = [0.5, 1.5] as const;

const PRESET_SETTINGS: Record<Preset, PresetSettings> = {
  "like-kaggle": {
    count: PUBLISHED_FIGURES.samples,
    angles: 12,
    offsetStep: 2,
    choose: (all) =>
      [...all]
        .sort((a, b) => b.chromosome.area - a.chromosome.area)
        .filter((_, i) => i % 4 === 0)
        .slice(0, 11),
  },
  all: { count: 20000, angles: 12, offsetStep: 3, choose: (all) => all },
  slides: {
    count: 20000,
    angles: 36,
    offsetStep: 3,
    choose: (all) => all,
    // Touching pairs, many end to end, look like one chromosome with a narrowing: a model trained
    // with 2.7 touching pairs per single cut long single chromosomes at their narrowings.
    mix: { crossing: 0.45, touching: 0.15, single: 0.4 },
    overlapGain: REAL_CROSSING_GAIN,
    overlapBlur: REAL_CROSSING_BLUR,
  },
};

/** A preset's sampling grid and mix, as help texts describe it. */
export function presetSampling(
  preset: Preset,
): Pick<PresetSettings, "angles" | "offsetStep" | "mix" | "overlapGain" | "overlapBlur"> {
  const { angles, offsetStep, mix, overlapGain, overlapBlur } = PRESET_SETTINGS[preset];
  return { angles, offsetStep, mix, overlapGain, overlapBlur };
}

export interface GenerateOptions {
  /** Metaphase images: TIFF or PNG, 8, 12 or 16 bit. */
  metaphases: string[];
  /**
   * A second channel of each metaphase (Cy3, the published set's telomere probe), in the same
   * order: each is averaged into its metaphase's grey image before the chromosomes are found.
   */
  cy3?: string[];
  /** Default `like-kaggle`. */
  preset?: Preset;
  /** Samples to make. Default: the preset's (the public set's for like-kaggle, 20000 for all). */
  count?: number;
  /** Rotations per chromosome, evenly spaced over 360°. Default 12 (every 30°). */
  angles?: number;
  /** Grid step of the offsets between the two chromosomes, in pixels. Default: the preset's. */
  offsetStep?: number;
  /** Overlap pixels a sample needs. Default 5. */
  minOverlap?: number;
  /** Default 1. */
  seed?: number;
  onProgress?: (stage: GenerateStage, done: number, total: number) => void;
}

export type GenerateStage = "find" | "compose";

type Progress = NonNullable<GenerateOptions["onProgress"]>;

/** Where a chromosome came from. */
export interface SourcedChromosome {
  /** Index into the options' metaphases. */
  image: number;
  chromosome: Chromosome;
}

export interface GeneratedDataset {
  samples: SampleSet & { pairIds: Int32Array };
  /** The chromosomes used; `pair_ids` index this list. */
  chromosomes: SourcedChromosome[];
  /** Per input image: what the chromosome finder found (not its slide-sized arrays). */
  findings: FindSummary[];
  /** What drawing the samples cost. */
  work: SamplingWork;
  /** Samples asked for; `samples.count` is less when too few placements qualified. */
  requested: number;
  /** Stored as attributes of the written dataset. */
  attributes: Record<string, string | number>;
}

/** A finder's result without its slide-sized labels and its cut-outs: small enough to keep per image. */
export type FindSummary = Omit<FindResult, "labels" | "cutOuts">;

export async function generateDataset(options: GenerateOptions): Promise<GeneratedDataset> {
  const settings = resolveSettings(options);
  const progress = options.onProgress ?? (() => {});
  const { findings, hashes, found } = await findInMetaphases(options, progress);
  const chromosomes = settings.choose(found);
  if (chromosomes.length < 2) {
    throw new UserError(
      `found ${chromosomes.length} usable chromosome(s) in ${options.metaphases.join(", ")}; a pair needs 2`,
    );
  }
  const { samples, pairs, work } = drawSamples(chromosomes, settings, progress);
  return {
    samples,
    chromosomes,
    findings,
    work,
    requested: settings.count,
    attributes: datasetAttributes(options, settings, {
      chromosomes: chromosomes.length,
      pairs,
      work,
      hashes,
    }),
  };
}

/** The preset's settings with the options' in their place, checked. */
interface ResolvedSettings extends PresetSettings {
  preset: Preset;
  minOverlap: number;
  seed: number;
}

/** The settings a run goes by; refuses options it cannot go by. */
function resolveSettings(options: GenerateOptions): ResolvedSettings {
  const preset = options.preset ?? "like-kaggle";
  const settings = PRESET_SETTINGS[preset];
  const resolved: ResolvedSettings = {
    ...settings,
    preset,
    count: options.count ?? settings.count,
    angles: options.angles ?? settings.angles,
    offsetStep: options.offsetStep ?? settings.offsetStep,
    minOverlap: options.minOverlap ?? 5,
    seed: options.seed ?? 1,
  };
  checkPositiveInteger("count", resolved.count);
  checkPositiveInteger("angles", resolved.angles);
  checkPositiveInteger("offset step", resolved.offsetStep);
  checkPositiveInteger("minimum overlap", resolved.minOverlap);
  if (!options.metaphases.length)
    throw new UserError("no metaphase image given (--metaphase <files…>)");
  if (options.cy3 && options.cy3.length !== options.metaphases.length)
    throw new UserError(
      `${options.cy3.length} Cy3 image(s) for ${options.metaphases.length} metaphase(s): give one --cy3 per --metaphase, in the same order`,
    );
  return resolved;
}

/**
 * The chromosomes found in each metaphase (its Cy3 image averaged in, when given), in the order
 * of the images; what the finder found per image; and the sha256 of each image read, in the
 * order read (each metaphase, then its Cy3 image).
 */
async function findInMetaphases(
  options: GenerateOptions,
  progress: Progress,
): Promise<{ findings: FindSummary[]; hashes: string[]; found: SourcedChromosome[] }> {
  const findings: FindSummary[] = [];
  const hashes: string[] = [];
  const found: SourcedChromosome[] = [];
  for (const [image, file] of options.metaphases.entries()) {
    const decoded = await readGreyImage(file);
    let grey = decoded.image;
    hashes.push(decoded.sha256);
    const cy3File = options.cy3?.[image];
    if (cy3File) {
      const cy3 = await readGreyImage(cy3File);
      grey = meanImage(grey, cy3.image, [file, cy3File]);
      hashes.push(cy3.sha256);
    }
    const { objects, chromosomes: accepted, threshold, medianArea } = findChromosomes(grey);
    findings.push({ objects, chromosomes: accepted, threshold, medianArea });
    for (const chromosome of accepted) found.push({ image, chromosome });
    progress("find", image + 1, options.metaphases.length);
  }
  return { findings, hashes, found };
}

/** The samples drawn from the pairs of `chromosomes` (sample-pairs.ts), from the run's seed. */
function drawSamples(
  chromosomes: SourcedChromosome[],
  settings: ResolvedSettings,
  progress: Progress,
): SampledPairs {
  return samplePairs(
    chromosomes.map((c) => c.chromosome),
    {
      count: settings.count,
      angles: settings.angles,
      offsetStep: settings.offsetStep,
      minOverlap: settings.minOverlap,
      mix: settings.mix,
      overlapGain: settings.overlapGain,
      overlapBlur: settings.overlapBlur,
      random: seededRandom(settings.seed),
      onSample: (made, total) => progress("compose", made, total),
    },
  );
}

/** How the dataset was made, as the attributes written with it. */
function datasetAttributes(
  options: GenerateOptions,
  settings: ResolvedSettings,
  made: { chromosomes: number; pairs: number; work: SamplingWork; hashes: string[] },
): Record<string, string | number> {
  return {
    generator: `chromoseg generate ${GENERATOR_VERSION}`,
    preset: settings.preset,
    seed: settings.seed,
    angles: settings.angles,
    offset_step: settings.offsetStep,
    min_overlap: settings.minOverlap,
    ...(settings.mix && {
      mix: Object.entries(settings.mix)
        .map(([kind, share]) => `${kind}:${share}`)
        .join(","),
    }),
    ...(settings.overlapGain && { overlap_gain: settings.overlapGain.join("-") }),
    ...(settings.overlapBlur && { overlap_blur: settings.overlapBlur.join("-") }),
    chromosomes: made.chromosomes,
    pairs: made.pairs,
    placements_tried: made.work.placementsTried,
    pairs_unplaced: made.work.pairsUnplaced,
    source_sha256: made.hashes.join(","),
    // in the order of source_sha256: each metaphase, then its Cy3 image if given
    source_files: options.metaphases
      .flatMap((file, image) => [file, options.cy3?.[image] ?? []].flat())
      .map((f) => f.split("/").pop())
      .join(","),
  };
}

function checkPositiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1)
    throw new UserError(`${name} must be a whole number ≥ 1, got ${value}`);
}
