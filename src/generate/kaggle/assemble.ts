/**
 * Step 9 of the published recipe: every pair's merged images, padded (centred) to the pair's
 * common size, those with an overlap kept, all padded (centred) to the largest size and
 * shuffled. Only the shuffle depends on the seed.
 */
import { UserError } from "../../errors.js";
import { seededRandom, shuffle } from "../../random.js";
import { centredPosition, largestSize } from "./labelled-image.js";
import type { LabelledImage } from "./labelled-image.js";
import { CANDIDATES_PER_PAIR, pairCandidates, rotatedViews } from "./overlaps.js";
import type { ChromosomeImage } from "./overlaps.js";

/** The label an overlap pixel gets (1 + 2); a merged image needs one to be kept. */
export const OVERLAP_LABEL = 3;

/**
 * The most samples held in memory: the published slides give 13434 of 94 × 93 (350 MB with their
 * cleaned copy); a slide with many more chromosomes could ask for tens of GB.
 */
export const MAX_KAGGLE_SAMPLES = 200_000;

/**
 * The samples, as the published file stores them but in 16 and 8 bits: grey values are sums of
 * two chromosomes (up to about 400) and the spline's ringing leaves some below 0, in the grey
 * and in the labels.
 */
export interface OverlapSamples {
  count: number;
  height: number;
  width: number;
  /** Sample i, row y, column x at (i × height + y) × width + x. */
  grey: Int16Array;
  labels: Int8Array;
  /** (count, 2): the indices of the two chromosomes, the one labelled 1 (the smaller) first. */
  pairIds: Int32Array;
}

export interface PairingFindings {
  pairs: number;
  candidates: number;
  samples: number;
  /** The samples' size: the largest of the kept pairs' frames. */
  sampleFrame: { width: number; height: number };
}

/** How one pair's merged images are padded and which of them are kept. */
interface PairPlan {
  frame: { width: number; height: number };
  kept: boolean[];
}

/**
 * Steps 6–9 for the chromosomes of step 5, in ascending order of area: each pair (i < j), i
 * labelled 1 and j labelled 2, in the order of itertools.combinations.
 */
export function buildOverlapSamples(
  chromosomes: ChromosomeImage[],
  seed: number,
  /** Called after each pair in each of the two passes: `done` of 2 × pairs. */
  onProgress: (done: number, total: number) => void = () => {},
): { samples: OverlapSamples; findings: PairingFindings } {
  if (chromosomes.length < 2)
    throw new UserError(
      `step 5 kept ${chromosomes.length} chromosome${chromosomes.length === 1 ? "" : "s"}; step 6 needs 2 to make a pair`,
    );
  const views = chromosomes.map((c) => [rotatedViews(c, 1), rotatedViews(c, 2)]);
  const pairs = combinations(chromosomes.length);
  const candidatesOf = ([i, j]: [number, number]) => pairCandidates(views[i][0], views[j][1]);
  const plans = pairs.map((pair, p) => {
    const plan = planPair(candidatesOf(pair));
    onProgress(p + 1, 2 * pairs.length);
    return plan;
  });
  const frame = largestSize(plans.filter((plan) => plan.kept.includes(true)).map((p) => p.frame));
  const count = plans.reduce((n, plan) => n + plan.kept.filter(Boolean).length, 0);
  checkSampleCount(count, pairs.length);
  const samples = allocate(count, frame);
  const slots = shuffledSlots(count, seed);
  let k = 0;
  for (const [p, pair] of pairs.entries()) {
    const plan = plans[p];
    const pairPlace = centredPosition(plan.frame, frame);
    let c = 0;
    for (const merged of candidatesOf(pair)) {
      if (!plan.kept[c++]) continue;
      const place = centredPosition(merged, plan.frame);
      const slot = slots[k++];
      writeSample(samples, slot, merged, pairPlace.top + place.top, pairPlace.left + place.left);
      samples.pairIds.set(pair, 2 * slot);
    }
    onProgress(pairs.length + p + 1, 2 * pairs.length);
  }
  return {
    samples,
    findings: {
      pairs: pairs.length,
      candidates: pairs.length * CANDIDATES_PER_PAIR,
      samples: count,
      sampleFrame: frame,
    },
  };
}

/** Refuses no samples, and more than MAX_KAGGLE_SAMPLES, before they are allocated. */
export function checkSampleCount(count: number, pairs: number): void {
  if (count === 0)
    throw new UserError(
      `step 9: none of the ${pairs * CANDIDATES_PER_PAIR} candidates of ${pairs} pair${pairs === 1 ? "" : "s"} has an overlap`,
    );
  if (count > MAX_KAGGLE_SAMPLES)
    throw new UserError(
      `step 9: ${count} samples, more than the ${MAX_KAGGLE_SAMPLES} the kaggle preset holds in memory; crop the slide to fewer chromosomes`,
    );
}

/** The pair's frame (ResizeImages over all its merged images) and the overlap filter's verdicts. */
function planPair(candidates: Iterable<LabelledImage>): PairPlan {
  const sizes: { width: number; height: number }[] = [];
  const kept: boolean[] = [];
  for (const merged of candidates) {
    sizes.push({ width: merged.width, height: merged.height });
    kept.push(merged.labels.includes(OVERLAP_LABEL));
  }
  return { frame: largestSize(sizes), kept };
}

/** itertools.combinations(range(n), 2). */
function combinations(n: number): [number, number][] {
  const pairs: [number, number][] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) pairs.push([i, j]);
  return pairs;
}

/** slots[k]: where the k-th sample (in the order made) lands after the seeded shuffle. */
function shuffledSlots(count: number, seed: number): Uint32Array {
  const order = shuffle(
    Uint32Array.from({ length: count }, (_, i) => i),
    seededRandom(seed),
  );
  const slots = new Uint32Array(count);
  order.forEach((sample, slot) => (slots[sample] = slot));
  return slots;
}

function allocate(count: number, frame: { width: number; height: number }): OverlapSamples {
  const size = count * frame.width * frame.height;
  return {
    count,
    ...frame,
    grey: new Int16Array(size),
    labels: new Int8Array(size),
    pairIds: new Int32Array(2 * count),
  };
}

function writeSample(
  samples: OverlapSamples,
  slot: number,
  image: LabelledImage,
  top: number,
  left: number,
): void {
  const { width, height } = samples;
  const base = slot * width * height;
  for (let y = 0; y < image.height; y++) {
    const to = base + (top + y) * width + left;
    samples.grey.set(image.grey.subarray(y * image.width, (y + 1) * image.width), to);
    samples.labels.set(image.labels.subarray(y * image.width, (y + 1) * image.width), to);
  }
}
