/** A pseudo-random number in [0, 1), drawn in steps of 2^−32 (mulberry32). */
export type Random = () => number;

/** The largest seed seededRandom tells apart from smaller ones: its state is 32 bits. */
export const MAX_SEED = 2 ** 32 - 1;

/**
 * A seeded pseudo-random generator (mulberry32): the same seed gives the same sequence everywhere.
 * Only the seed's low 32 bits count, so options taking a seed refuse values above MAX_SEED.
 */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Shuffles `items` in place (Fisher–Yates) and returns them. */
export function shuffle<T extends { length: number; [i: number]: unknown }>(
  items: T,
  random: Random,
): T {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const swap = items[i];
    items[i] = items[j];
    items[j] = swap;
  }
  return items;
}

/**
 * A whole number in [0, n), uniform for n up to 2^32 and within n / 2^53 of uniform up to 2^53: a
 * single draw reaches only 2^32 values, so above that two draws make a 53-bit fraction.
 */
function below(n: number, random: Random): number {
  if (n <= 2 ** 32) return Math.floor(random() * n);
  const high = Math.floor(random() * 2 ** 32);
  const low = Math.floor(random() * 2 ** 21);
  return Math.floor(((high * 2 ** 21 + low) / 2 ** 53) * n);
}

/**
 * A seeded shuffle of 0 … n − 1 (n up to 2^53) drawn one element at a time (Fisher–Yates with the
 * swaps kept in a map): memory grows with the elements drawn, not with `n`, so a prefix of a
 * shuffle of billions costs what the prefix does. Returns undefined once all `n` are drawn.
 */
export function lazyShuffle(n: number, random: Random): () => number | undefined {
  const swapped = new Map<number, number>();
  let drawn = 0;
  return () => {
    if (drawn >= n) return undefined;
    const k = drawn + below(n - drawn, random);
    const picked = swapped.get(k) ?? k;
    swapped.set(k, swapped.get(drawn) ?? drawn);
    swapped.delete(drawn);
    drawn++;
    return picked;
  };
}
