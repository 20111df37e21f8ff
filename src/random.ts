/** A seeded pseudo-random generator (mulberry32): the same seed gives the same sequence everywhere. */
export type Random = () => number;

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
 * A seeded shuffle of 0 … n − 1 drawn one element at a time (Fisher–Yates with the swaps kept in a
 * map): memory grows with the elements drawn, not with `n`, so a prefix of a shuffle of millions
 * costs what the prefix does. Returns undefined once all `n` are drawn.
 */
export function lazyShuffle(n: number, random: Random): () => number | undefined {
  const swapped = new Map<number, number>();
  let drawn = 0;
  return () => {
    if (drawn >= n) return undefined;
    const k = drawn + Math.floor(random() * (n - drawn));
    const picked = swapped.get(k) ?? k;
    swapped.set(k, swapped.get(drawn) ?? drawn);
    swapped.delete(drawn);
    drawn++;
    return picked;
  };
}
