/**
 * Deterministic train / validation / test splits of a dataset's sample indices.
 * - `kaggle`: test = the last 20 % (the protocol of Hu et al. 2017);
 * - `seed`: test = the last 20 samples (the SegNet reference this project grew from);
 * - `grouped`: test = every sample of a held-out set of chromosome pairs (needs `pair_ids`),
 *   so no pair seen in training is tested;
 * - `all`: every sample is test, for evaluating on a separate set.
 * Validation is 5 % of what is not test: the last 5 % by index, as Keras's
 * `validation_split` takes it, except in `grouped`, where it is held-out pairs too.
 */
import { UserError } from "../errors.js";
import { seededRandom, shuffle } from "../random.js";

export type SplitKind = "kaggle" | "seed" | "grouped" | "all";
export const SPLIT_KINDS: readonly SplitKind[] = ["kaggle", "seed", "grouped", "all"];

export interface Split {
  kind: SplitKind;
  train: Uint32Array;
  validation: Uint32Array;
  test: Uint32Array;
}

export interface SplitOptions {
  /** Fraction of the non-test samples used for validation. Default 0.05. */
  validationFraction?: number;
  /** Fraction of samples (kaggle) or, approximately, of pairs' samples (grouped) held out for test. Default 0.2. */
  testFraction?: number;
  /** Picks the held-out pairs of `grouped`. Default 0. */
  seed?: number;
}

export function splitDataset(
  kind: SplitKind,
  count: number,
  pairIds?: Int32Array,
  options: SplitOptions = {},
): Split {
  const validationFraction = options.validationFraction ?? 0.05;
  const testFraction = options.testFraction ?? 0.2;
  switch (kind) {
    case "kaggle":
      return byIndex(kind, count, count - Math.floor(count * (1 - testFraction)), validationFraction);
    case "seed":
      return byIndex(kind, count, Math.min(20, count), validationFraction);
    case "all":
      return { kind, train: new Uint32Array(0), validation: new Uint32Array(0), test: range(0, count) };
    case "grouped":
      if (!pairIds) {
        throw new UserError(
          "the grouped split needs pair_ids (which chromosomes made each sample); this file has none: use a generated dataset or --split kaggle",
        );
      }
      return byPairs(count, pairIds, testFraction, validationFraction, options.seed ?? 0);
  }
}

function range(start: number, end: number): Uint32Array {
  return Uint32Array.from({ length: Math.max(0, end - start) }, (_, i) => start + i);
}

function byIndex(kind: SplitKind, count: number, testCount: number, validationFraction: number): Split {
  const rest = count - testCount;
  const trainEnd = Math.floor(rest * (1 - validationFraction));
  return { kind, train: range(0, trainEnd), validation: range(trainEnd, rest), test: range(rest, count) };
}

/** An unordered pair's key: the same for (a, b) and (b, a). */
function pairKey(a: number, b: number): string {
  return a < b ? `${a}-${b}` : `${b}-${a}`;
}

/**
 * Shuffles the distinct pairs with `seed`, then gives whole pairs to test until it holds
 * `testFraction` of the samples, then to validation until it holds `validationFraction` of the rest.
 */
function byPairs(
  count: number,
  pairIds: Int32Array,
  testFraction: number,
  validationFraction: number,
  seed: number,
): Split {
  const samplesOf = new Map<string, number[]>();
  for (let i = 0; i < count; i++) {
    const key = pairKey(pairIds[2 * i], pairIds[2 * i + 1]);
    let list = samplesOf.get(key);
    if (!list) samplesOf.set(key, (list = []));
    list.push(i);
  }
  const pairs = shuffle([...samplesOf.keys()].sort(), seededRandom(seed));
  const test: number[] = [];
  const validation: number[] = [];
  const train: number[] = [];
  const testTarget = count * testFraction;
  const validationTarget = (count - testTarget) * validationFraction;
  for (const pair of pairs) {
    const samples = samplesOf.get(pair)!;
    if (test.length < testTarget) test.push(...samples);
    else if (validation.length < validationTarget) validation.push(...samples);
    else train.push(...samples);
  }
  const sorted = (xs: number[]) => Uint32Array.from(xs).sort();
  return { kind: "grouped", train: sorted(train), validation: sorted(validation), test: sorted(test) };
}
