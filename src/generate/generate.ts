/**
 * The generator: builds a labelled dataset of overlapping chromosome pairs from real metaphase
 * images, by the recipe of the public dataset (see DESIGN.md).
 */
import { reassignSpecks } from "../data/label-policy.js";
import { allocateSamples, selectSamples } from "../data/samples.js";
import type { SampleSet } from "../data/samples.js";
import { UserError } from "../errors.js";
import { readGreyImage } from "../image/grey-image.js";
import { seededRandom, shuffle } from "../random.js";
import { findChromosomes } from "./find-chromosomes.js";
import type { Chromosome, FindResult } from "./find-chromosomes.js";
import { FRAME_HEIGHT, FRAME_WIDTH, composeSample, forEachPlacement } from "./pairs.js";
import { decimate, rotate } from "./pose.js";

export const GENERATOR_VERSION = "1";

/**
 * - `like-kaggle`: the public dataset's recipe: 11 chromosomes (every 4th of the area-sorted
 *   list), all 55 pairs, 13434 samples;
 * - `all`: every accepted chromosome of every input image, all pairs.
 */
export type Preset = "like-kaggle" | "all";
export const PRESETS: readonly Preset[] = ["like-kaggle", "all"];

interface PresetSettings {
  count: number;
  angles: number;
  offsetStep: number;
  choose: (chromosomes: SourcedChromosome[]) => SourcedChromosome[];
}

const PRESET_SETTINGS: Record<Preset, PresetSettings> = {
  "like-kaggle": {
    count: 13434,
    angles: 12,
    offsetStep: 2,
    choose: (all) =>
      [...all]
        .sort((a, b) => b.chromosome.area - a.chromosome.area)
        .filter((_, i) => i % 4 === 0)
        .slice(0, 11),
  },
  all: { count: 20000, angles: 12, offsetStep: 3, choose: (all) => all },
};

export interface GenerateOptions {
  /** Metaphase images: TIFF or PNG, 8, 12 or 16 bit. */
  metaphases: string[];
  /** Default `like-kaggle`. */
  preset?: Preset;
  /** Samples to make. Default: the preset's (13434 for like-kaggle, 20000 for all). */
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

export type GenerateStage = "find" | "pose" | "place" | "compose";

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
  /** Per input image: what the chromosome finder found. */
  findings: FindResult[];
  /** Placements that qualified before sampling down to `count`. */
  candidates: number;
  /** Samples asked for; `samples.count` is less when too few placements qualified. */
  requested: number;
  /** Stored as attributes of the written dataset. */
  attributes: Record<string, string | number>;
}

/** One qualifying placement: the two rotations (indices into the angles) and the offset. */
type Candidate = [angleA: number, angleB: number, dx: number, dy: number];

/**
 * A pair's qualifying placements, packed two 32-bit words each (there are millions):
 * angleA << 16 | angleB, then (dx + 32768) << 16 | (dy + 32768).
 */
class PlacementList {
  private words = new Int32Array(1024);
  length = 0;

  push(angleA: number, angleB: number, dx: number, dy: number): void {
    if (2 * this.length + 2 > this.words.length) {
      const grown = new Int32Array(this.words.length * 2);
      grown.set(this.words);
      this.words = grown;
    }
    this.words[2 * this.length] = (angleA << 16) | angleB;
    this.words[2 * this.length + 1] = ((dx + 32768) << 16) | (dy + 32768);
    this.length++;
  }

  get(k: number): Candidate {
    const angles = this.words[2 * k];
    const offset = this.words[2 * k + 1] >>> 0;
    return [angles >>> 16, angles & 0xffff, (offset >>> 16) - 32768, (offset & 0xffff) - 32768];
  }
}

export async function generateDataset(options: GenerateOptions): Promise<GeneratedDataset> {
  const preset = options.preset ?? "like-kaggle";
  const settings = PRESET_SETTINGS[preset];
  const count = options.count ?? settings.count;
  const angleCount = options.angles ?? settings.angles;
  const offsetStep = options.offsetStep ?? settings.offsetStep;
  const minOverlap = options.minOverlap ?? 5;
  const seed = options.seed ?? 1;
  checkPositiveInteger("count", count);
  checkPositiveInteger("angles", angleCount);
  checkPositiveInteger("offset step", offsetStep);
  checkPositiveInteger("minimum overlap", minOverlap);
  if (!options.metaphases.length)
    throw new UserError("no metaphase image given (--metaphase <files…>)");
  const progress = options.onProgress ?? (() => {});

  const findings: FindResult[] = [];
  const hashes: string[] = [];
  const found: SourcedChromosome[] = [];
  for (const [image, file] of options.metaphases.entries()) {
    const decoded = await readGreyImage(file);
    const result = findChromosomes(decoded.image);
    findings.push(result);
    hashes.push(decoded.sha256);
    for (const chromosome of result.chromosomes) found.push({ image, chromosome });
    progress("find", image + 1, options.metaphases.length);
  }
  const chromosomes = settings.choose(found);
  if (chromosomes.length < 2) {
    throw new UserError(
      `found ${chromosomes.length} usable chromosome(s) in ${options.metaphases.join(", ")}; a pair needs 2`,
    );
  }

  const angles = Array.from({ length: angleCount }, (_, k) => (360 * k) / angleCount);
  const poses = chromosomes.map((c, i) => {
    const base = decimate(c.chromosome);
    progress("pose", i + 1, chromosomes.length);
    return angles.map((angle) => rotate(base, angle));
  });

  const pairs: [number, number][] = [];
  for (let i = 0; i < chromosomes.length; i++)
    for (let j = i + 1; j < chromosomes.length; j++) pairs.push([i, j]);
  const random = seededRandom(seed);
  const perPair = pairs.map(([i, j], p) => {
    const list = new PlacementList();
    for (let a = 0; a < angleCount; a++) {
      for (let b = 0; b < angleCount; b++) {
        forEachPlacement(poses[i][a], poses[j][b], offsetStep, minOverlap, ({ dx, dy }) =>
          list.push(a, b, dx, dy),
        );
      }
    }
    progress("place", p + 1, pairs.length);
    return list;
  });
  const candidates = perPair.reduce((n, list) => n + list.length, 0);
  const quotas = balancedQuotas(
    perPair.map((list) => list.length),
    count,
  );
  const total = quotas.reduce((n, q) => n + q, 0);
  // Samples are made pair by pair into slots of a shuffled order.
  const slots = shuffle(
    Uint32Array.from({ length: total }, (_, i) => i),
    random,
  );
  const samples = allocateSamples(total, FRAME_HEIGHT, FRAME_WIDTH);
  const pairIds = new Int32Array(total * 2);
  const px = FRAME_HEIGHT * FRAME_WIDTH;
  let made = 0;
  for (const [p, [i, j]] of pairs.entries()) {
    const list = perPair[p];
    const order = shuffle(
      Uint32Array.from({ length: list.length }, (_, k) => k),
      random,
    );
    let taken = 0;
    for (let k = 0; k < order.length && taken < quotas[p]; k++) {
      const [a, b, dx, dy] = list.get(order[k]);
      const slot = slots[made];
      const grey = samples.grey.subarray(slot * px, (slot + 1) * px);
      const labels = samples.labels.subarray(slot * px, (slot + 1) * px);
      const iIsLabel1 = composeSample(
        poses[i][a],
        poses[j][b],
        { dx, dy, overlap: 0 },
        grey,
        labels,
      );
      // Same labels as a reader's default cleaning would leave; a placement whose overlap was
      // only isolated pixels does not count.
      reassignSpecks(labels, FRAME_HEIGHT, FRAME_WIDTH);
      clearBackground(grey, labels);
      const [, pixelsA, pixelsB, overlap] = labelCounts(labels);
      if (overlap < minOverlap) continue;
      // The cleaning can move a pixel between near-equal chromosomes: keep label 1 the smaller.
      if (pixelsA > pixelsB) swapChromosomeLabels(labels);
      const first = iIsLabel1 === pixelsA <= pixelsB;
      pairIds[2 * slot] = first ? i : j;
      pairIds[2 * slot + 1] = first ? j : i;
      taken++;
      made++;
    }
    progress("compose", p + 1, pairs.length);
  }
  const kept = Uint32Array.from(slots.subarray(0, made)).sort();

  const chosen =
    made === total ? { ...samples, pairIds } : selectSamples({ ...samples, pairIds }, kept);
  return {
    samples: chosen as SampleSet & { pairIds: Int32Array },
    chromosomes,
    findings,
    candidates,
    requested: count,
    attributes: {
      generator: `chromoseg generate ${GENERATOR_VERSION}`,
      preset,
      seed,
      angles: angleCount,
      offset_step: offsetStep,
      min_overlap: minOverlap,
      chromosomes: chromosomes.length,
      pairs: pairs.length,
      candidates,
      source_sha256: hashes.join(","),
      source_files: options.metaphases.map((f) => f.split("/").pop()).join(","),
    },
  };
}

/**
 * Spreads `count` samples over the pairs as evenly as their candidates allow: pairs with few
 * candidates give all they have, the rest share what is left.
 */
function balancedQuotas(available: number[], count: number): number[] {
  const order = available.map((_, p) => p).sort((a, b) => available[a] - available[b] || a - b);
  const quotas = new Array<number>(available.length).fill(0);
  let remaining = count;
  for (const [k, p] of order.entries()) {
    quotas[p] = Math.min(available[p], Math.floor(remaining / (order.length - k)));
    remaining -= quotas[p];
  }
  return quotas;
}

/** Pixels per label 0–3. */
function labelCounts(labels: Uint8Array): [number, number, number, number] {
  const counts: [number, number, number, number] = [0, 0, 0, 0];
  for (const v of labels) counts[v]++;
  return counts;
}

function swapChromosomeLabels(labels: Uint8Array): void {
  for (let k = 0; k < labels.length; k++)
    if (labels[k] === 1 || labels[k] === 2) labels[k] = 3 - labels[k];
}

function checkPositiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1)
    throw new UserError(`${name} must be a whole number ≥ 1, got ${value}`);
}

/** Zeroes grey wherever the label is background, so a speck the cleaning removed leaves no trace. */
function clearBackground(grey: Uint8Array, labels: Uint8Array): void {
  for (let i = 0; i < labels.length; i++) if (labels[i] === 0) grey[i] = 0;
}
