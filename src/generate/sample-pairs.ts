/**
 * Draws overlapping-pair samples lazily, so that work and memory follow the samples asked for, not
 * the pairs (11 metaphases hold some 70 000 pairs, 100 some 10 million).
 *
 * Pairs come in rounds, each a seeded shuffle of all pairs drawn one at a time, so every pair gets
 * a sample before any gets a second. For each pair drawn: two rotations and an offset on the grid,
 * where the two boxes overlap, drawn at random until the placement fits the frame, overlaps in
 * `minOverlap` pixels after the label cleaning, and was not taken before; after
 * TRIES_PER_PAIR failures the pair is dropped.
 */
import { reassignSpecks } from "../data/label-policy.js";
import { swapChromosomeLabels } from "../data/name-by-area.js";
import { SAMPLE_FRAME, allocateSamples, selectSamples } from "../data/samples.js";
import type { SampleSet } from "../data/samples.js";
import { lazyShuffle, shuffle } from "../random.js";
import type { Random } from "../random.js";
import type { Chromosome } from "../image/find-chromosomes.js";
import { composeSample, composeSingle, fitsFrame, overlapCount } from "./pairs.js";
import type { Placement } from "./pairs.js";
import { PoseCache } from "./pose-cache.js";
import { softenOverlap } from "./soften-overlap.js";
import type { Pose } from "./pose.js";

const { height: FRAME_HEIGHT, width: FRAME_WIDTH } = SAMPLE_FRAME;

/** Placements tried on one draw of a pair before it is dropped. */
export const TRIES_PER_PAIR = 500;

/**
 * What a sample shows: `crossing`, one chromosome over the other (labels 1, 2, 3); `touching`, the
 * two placed edge to edge with no pixel in common (1, 2); `single`, one of them alone (1).
 */
export type SampleKind = "crossing" | "touching" | "single";

/** The share of each kind among the samples, summing to 1. */
export type SampleMix = Record<SampleKind, number>;

/** The pair id of a single chromosome's missing partner. */
export const NO_PARTNER = -1;

export interface PairSampling {
  /** Samples to make. */
  count: number;
  /** Rotations per chromosome, evenly spaced over 360°. */
  angles: number;
  /** Grid step of the offsets, in pixels. */
  offsetStep: number;
  /** Overlap pixels a crossing needs. */
  minOverlap: number;
  /** Default: crossings only. */
  mix?: SampleMix;
  /**
   * A crossing's overlap grey is the two chromosomes' sum times a factor drawn uniformly from this
   * range, [low, high]. Default [1, 1]: the plain sum.
   */
  overlapGain?: readonly [number, number];
  /**
   * A crossing's grey near its overlap is smoothed with a σ (pixels) drawn uniformly from this
   * range, [low, high] (soften-overlap.ts). Default: not smoothed.
   */
  overlapBlur?: readonly [number, number];
  random: Random;
  onSample?: (made: number, count: number) => void;
}

/** What the sampling cost, for judging that it follows the count. */
export interface SamplingWork {
  /** Draws of a pair (a pair drawn in two rounds counts twice). */
  pairsVisited: number;
  placementsTried: number;
  posesRotated: number;
  /** Pairs dropped before giving any sample: none of TRIES_PER_PAIR placements qualified. */
  pairsUnplaced: number;
}

export interface SampledPairs {
  /**
   * `count` samples, or fewer when the pairs ran out of qualifying placements. A single
   * chromosome's pair ids are its own and NO_PARTNER.
   */
  samples: SampleSet & { pairIds: Int32Array };
  /** Pairs of the chromosomes, n (n − 1) / 2. */
  pairs: number;
  work: SamplingWork;
}

/** Samples of pairs of `chromosomes`; `pairIds` index that list, the chromosome labelled 1 first. */
export function samplePairs(
  chromosomes: readonly Chromosome[],
  sampling: PairSampling,
): SampledPairs {
  const { count, random } = sampling;
  const angles = Array.from({ length: sampling.angles }, (_, k) => (360 * k) / sampling.angles);
  const poses = new PoseCache(chromosomes, angles);
  const pairCount = (chromosomes.length * (chromosomes.length - 1)) / 2;
  // Samples land in the slots of a shuffled order, so a file's order says nothing of the rounds.
  const slots = shuffle(
    Uint32Array.from({ length: count }, (_, i) => i),
    random,
  );
  const samples = {
    ...allocateSamples(count, FRAME_HEIGHT, FRAME_WIDTH),
    pairIds: new Int32Array(2 * count),
  };
  const taken = new Map<number, Set<number>>();
  const shown = new Set<number>();
  const dropped = new Set<number>();
  const work = { pairsVisited: 0, placementsTried: 0, posesRotated: 0, pairsUnplaced: 0 };
  let made = 0;
  while (made < count) {
    const nextPair = lazyShuffle(pairCount, random);
    const madeBefore = made;
    for (let p = nextPair(); p !== undefined && made < count; p = nextPair()) {
      if (dropped.has(p)) continue;
      work.pairsVisited++;
      const placements = taken.get(p) ?? new Set<number>();
      const tried = samplePair(pairAt(p), slots[made], placements, shown, poses, samples, sampling);
      work.placementsTried += tried.tries;
      if (!tried.made) {
        dropped.add(p);
        if (!placements.size) work.pairsUnplaced++;
        continue;
      }
      taken.set(p, placements);
      made++;
      sampling.onSample?.(made, count);
    }
    if (made === madeBefore) break;
  }
  work.posesRotated = poses.rotated;
  if (made === count) return { samples, pairs: pairCount, work };
  const kept = Uint32Array.from(slots.subarray(0, made)).sort();
  const chosen = selectSamples(samples, kept) as SampleSet & { pairIds: Int32Array };
  return { samples: chosen, pairs: pairCount, work };
}

/** Pair `p` of the pairs (i, j), i < j, in the order (0, 1), (0, 2), (1, 2), (0, 3), … */
export function pairAt(p: number): [number, number] {
  let j = Math.floor((1 + Math.sqrt(1 + 8 * p)) / 2);
  // the square root can be off by one ulp for large p
  while ((j * (j - 1)) / 2 > p) j--;
  while (((j + 1) * j) / 2 <= p) j++;
  return [p - (j * (j - 1)) / 2, j];
}

/**
 * Draws placements of pair (i, j) until one makes a sample in `slot`, at most TRIES_PER_PAIR
 * times. `taken` holds the placements the pair already gave and gets the new one; `shown`, the
 * poses (chromosome × angles + angle) already shown alone, over all pairs. A single whose
 * chromosome has been shown alone at every angle becomes a crossing.
 */
function samplePair(
  [i, j]: [number, number],
  slot: number,
  taken: Set<number>,
  shown: Set<number>,
  poses: PoseCache,
  samples: SampleSet & { pairIds: Int32Array },
  sampling: PairSampling,
): { made: boolean; tries: number } {
  const { angles, offsetStep, minOverlap, random } = sampling;
  const px = FRAME_HEIGHT * FRAME_WIDTH;
  const grey = samples.grey.subarray(slot * px, (slot + 1) * px);
  const labels = samples.labels.subarray(slot * px, (slot + 1) * px);
  let kind = sampling.mix ? drawKind(sampling.mix, random) : "crossing";
  if (kind === "single") {
    // either chromosome of the pair, so every chromosome is shown alone
    const lone = random() < 0.5 ? j : i;
    const made = sampleSingle(lone, shown, poses, grey, labels, sampling);
    if (made) {
      samples.pairIds[2 * slot] = lone;
      samples.pairIds[2 * slot + 1] = NO_PARTNER;
      return made;
    }
    kind = "crossing";
  }
  for (let tries = 1; tries <= TRIES_PER_PAIR; tries++) {
    const angleA = Math.floor(random() * angles);
    const angleB = Math.floor(random() * angles);
    const a = poses.get(i, angleA);
    const b = poses.get(j, angleB);
    const placement =
      kind === "touching"
        ? touchingPlacement(
            a,
            b,
            gridOffset(a.height, b.height, offsetStep, random),
            random() < 0.5,
          )
        : {
            dx: gridOffset(a.width, b.width, offsetStep, random),
            dy: gridOffset(a.height, b.height, offsetStep, random),
          };
    if (!placement || !fitsFrame(a, b, placement)) continue;
    if (kind === "crossing" && overlapCount(a, b, placement) < minOverlap) continue;
    // fitting the frame bounds the offsets to ±93, so 8 bits each
    const key =
      (((angleA * angles + angleB) * 256 + placement.dx + 128) * 256 + placement.dy + 128) * 3 +
      KINDS.indexOf(kind);
    if (taken.has(key)) continue;
    const look = {
      gain: sampling.overlapGain ? drawBetween(sampling.overlapGain, random) : 1,
      blur: sampling.overlapBlur ? drawBetween(sampling.overlapBlur, random) : 0,
    };
    const aIsLabel1 = composeCleaned(a, b, placement, grey, labels, kind, minOverlap, look);
    if (aIsLabel1 === undefined) continue;
    taken.add(key);
    samples.pairIds[2 * slot] = aIsLabel1 ? i : j;
    samples.pairIds[2 * slot + 1] = aIsLabel1 ? j : i;
    return { made: true, tries };
  }
  return { made: false, tries: TRIES_PER_PAIR };
}

/** Chromosome `lone` alone at an angle not shown before, cleaned as the pairs are; null when none is left. */
function sampleSingle(
  lone: number,
  shown: Set<number>,
  poses: PoseCache,
  grey: Uint8Array,
  labels: Uint8Array,
  { angles, random }: PairSampling,
): { made: true; tries: number } | null {
  const left = Array.from({ length: angles }, (_, angle) => angle).filter(
    (angle) => !shown.has(lone * angles + angle),
  );
  for (let tries = 1; left.length > 0; tries++) {
    const angle = left.splice(Math.floor(random() * left.length), 1)[0];
    shown.add(lone * angles + angle);
    const pose = poses.get(lone, angle);
    if (!fitsFrame(pose, pose, { dx: 0, dy: 0 })) continue;
    composeSingle(pose, grey, labels);
    reassignSpecks(labels, FRAME_HEIGHT, FRAME_WIDTH);
    clearBackground(grey, labels);
    if (labelCounts(labels)[1] > 0) return { made: true, tries };
  }
  return null;
}

const KINDS: readonly SampleKind[] = ["crossing", "touching", "single"];

function drawKind(mix: SampleMix, random: Random): SampleKind {
  let r = random();
  for (const kind of KINDS) {
    r -= mix[kind];
    if (r < 0) return kind;
  }
  return "crossing";
}

function drawBetween([low, high]: readonly [number, number], random: Random): number {
  return low === high ? low : low + (high - low) * random();
}

/**
 * `b` beside `a` at row offset `dy`, as near as it can come without a pixel in common: slid in
 * from the right (or the left) until one more pixel would make them overlap. Undefined when at
 * that row offset their masks share no row.
 */
function touchingPlacement(
  a: Pose,
  b: Pose,
  dy: number,
  fromRight: boolean,
): Placement | undefined {
  const step = fromRight ? -1 : 1;
  for (let dx = fromRight ? a.width : -b.width; dx >= -b.width && dx <= a.width; dx += step)
    if (overlapCount(a, b, { dx, dy }) > 0) return { dx: dx - step, dy };
  return undefined;
}

/** An offset on the grid `-(sizeB − 1) + step·k` where the two boxes overlap (below `sizeA`). */
function gridOffset(sizeA: number, sizeB: number, step: number, random: Random): number {
  return -(sizeB - 1) + step * Math.floor(random() * Math.ceil((sizeA + sizeB - 1) / step));
}

/**
 * Composes `b` placed over `a` into `grey` and `labels`, cleaned as a reader's default cleaning
 * would leave it. Returns whether `a` got label 1 (the smaller), or undefined when the cleaning
 * (which drops isolated pixels) left a crossing under `minOverlap` overlap pixels, or a touching
 * pair with an overlap or without one of its chromosomes.
 */
function composeCleaned(
  a: Pose,
  b: Pose,
  placement: Placement,
  grey: Uint8Array,
  labels: Uint8Array,
  kind: "crossing" | "touching",
  minOverlap: number,
  look: { gain: number; blur: number },
): boolean | undefined {
  const aIsSmaller = composeSample(a, b, placement, grey, labels, look.gain);
  if (look.blur > 0) softenOverlap(grey, labels, FRAME_WIDTH, FRAME_HEIGHT, look.blur);
  reassignSpecks(labels, FRAME_HEIGHT, FRAME_WIDTH);
  clearBackground(grey, labels);
  const [, pixels1, pixels2, overlap] = labelCounts(labels);
  const kept =
    kind === "crossing" ? overlap >= minOverlap : overlap === 0 && pixels1 > 0 && pixels2 > 0;
  if (!kept) return undefined;
  // The cleaning can move a pixel between near-equal chromosomes: keep label 1 the smaller.
  if (pixels1 > pixels2) swapChromosomeLabels(labels);
  return aIsSmaller === pixels1 <= pixels2;
}

/** Zeroes grey wherever the label is background, so a speck the cleaning removed leaves no trace. */
function clearBackground(grey: Uint8Array, labels: Uint8Array): void {
  for (let i = 0; i < labels.length; i++) if (labels[i] === 0) grey[i] = 0;
}

/** Pixels per label 0–3. */
function labelCounts(labels: Uint8Array): [number, number, number, number] {
  const counts: [number, number, number, number] = [0, 0, 0, 0];
  for (const v of labels) counts[v]++;
  return counts;
}
