/**
 * Naming the two chromosomes of a pair by area, as the published labels do: chromosome A (label
 * 1) is the smaller. Each chromosome is its own label plus the overlap (3) it shares with the
 * other. A network trained with the permutation-invariant loss keeps each chromosome in one
 * channel without caring which; this step names them afterwards, for tfjs and ONNX alike.
 */
import { OVERLAP } from "../classes.js";

/**
 * Who names the chromosomes of a prediction: `network`, its own channels (a model trained on the
 * labels as given); `area`, this module (a model trained with the permutation-invariant loss).
 */
export type ChromosomeNaming = "network" | "area";
export const CHROMOSOME_NAMINGS: readonly ChromosomeNaming[] = ["network", "area"];

const A = 1;
const B = 2;

/** Pixels of chromosome A and of chromosome B, the overlap counted in both. */
export function chromosomeAreas(labels: ArrayLike<number>): { a: number; b: number } {
  let a = 0;
  let b = 0;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (label === A || label === OVERLAP) a++;
    if (label === B || label === OVERLAP) b++;
  }
  return { a, b };
}

/**
 * True when the names must change places: chromosome A is the larger of two, or a lone
 * chromosome is called B (a lone chromosome is A, as slide mode and the `slides` preset label
 * it). Ties keep the names.
 */
export function namesSwapped(labels: ArrayLike<number>): boolean {
  const { a, b } = chromosomeAreas(labels);
  return a === 0 ? b > 0 : b > 0 && a > b;
}

/** Exchanges labels 1 and 2 in place. */
export function swapChromosomeLabels(labels: Uint8Array): void {
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === A) labels[i] = B;
    else if (labels[i] === B) labels[i] = A;
  }
}

/** Correct pixels of `predicted` against `truth` with its chromosomes named as they are and swapped. */
export function agreementBothWays(
  truth: ArrayLike<number>,
  predicted: ArrayLike<number>,
): { asNamed: number; swapped: number } {
  let asNamed = 0;
  let swapped = 0;
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i];
    const p = predicted[i];
    if (t === p) asNamed++;
    if (t === (p === A ? B : p === B ? A : p)) swapped++;
  }
  return { asNamed, swapped };
}

/** Renames one image's labels in place so that A is the smaller (or lone) chromosome; true if they changed. */
export function nameByArea(labels: Uint8Array): boolean {
  const swap = namesSwapped(labels);
  if (swap) swapChromosomeLabels(labels);
  return swap;
}
