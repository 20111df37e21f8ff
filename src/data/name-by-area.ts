/**
 * Naming the two chromosomes of a pair by area, as the published labels do: chromosome A (label
 * 1) is the smaller. Each chromosome is its own label plus the overlap (3) it shares with the
 * other. A network trained with the permutation-invariant loss keeps each chromosome in one
 * channel without caring which; this step names them afterwards, for tfjs and ONNX alike.
 */
import { NUM_CLASSES, OVERLAP } from "../classes.js";

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

/** True when chromosome A is the larger: the two names must change places (ties keep them). */
export function namesSwapped(labels: ArrayLike<number>): boolean {
  const { a, b } = chromosomeAreas(labels);
  return a > b;
}

/** Exchanges labels 1 and 2 in place. */
export function swapChromosomeLabels(labels: Uint8Array): void {
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === A) labels[i] = B;
    else if (labels[i] === B) labels[i] = A;
  }
}

/** Exchanges the probabilities of classes 1 and 2 in place ([pixels × 4], class fastest). */
export function swapChromosomeProbabilities(probabilities: Float32Array): void {
  for (let p = 0; p < probabilities.length; p += NUM_CLASSES) {
    const a = probabilities[p + A];
    probabilities[p + A] = probabilities[p + B];
    probabilities[p + B] = a;
  }
}

/** Renames one image's labels in place so that A is the smaller chromosome; true if they changed. */
export function nameByArea(labels: Uint8Array): boolean {
  const swap = namesSwapped(labels);
  if (swap) swapChromosomeLabels(labels);
  return swap;
}
