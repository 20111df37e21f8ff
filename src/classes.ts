/**
 * The four pixel classes of a chromosome-pair label map. This module is the one home of the
 * class values, names and display colours: datasets, contact sheets, overlays and model
 * metadata all read them from here.
 */

/** A label value: 0 background, 1 chromosome A (the smaller of the pair), 2 chromosome B, 3 overlap. */
export type Label = 0 | 1 | 2 | 3;

export const NUM_CLASSES = 4;
/** The label of pixels where the two chromosomes overlap. */
export const OVERLAP: Label = 3;

export const CLASS_NAMES = ["background", "chromosomeA", "chromosomeB", "overlap"] as const;
export type ClassName = (typeof CLASS_NAMES)[number];

export type Rgb = readonly [r: number, g: number, b: number];

/**
 * Display colours (Okabe–Ito, readable with colour-blindness): background black,
 * chromosome A orange, chromosome B blue, overlap reddish purple.
 */
export const PALETTE: readonly Rgb[] = [
  [0, 0, 0],
  [230, 159, 0],
  [0, 114, 178],
  [204, 121, 167],
];

export function isLabel(value: number): value is Label {
  return value === 0 || value === 1 || value === 2 || value === 3;
}

/** Values indexed by label (pixel counts, IoUs) → the same values by class name. */
export function byClass(values: ArrayLike<number>): Record<ClassName, number> {
  return Object.fromEntries(CLASS_NAMES.map((name, c) => [name, values[c]])) as Record<
    ClassName,
    number
  >;
}

/** One figure per class, e.g. the IoU of each. */
export type PerClass = Record<ClassName, number>;
