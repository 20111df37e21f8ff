/** Class probabilities per pixel, [..., 4] flattened, and the labels they give. */
import { NUM_CLASSES } from "../classes.js";
import type { Label } from "../classes.js";

/** The most probable class of pixel `pixel` (the first one on ties). */
export function mostProbable(probabilities: ArrayLike<number>, pixel: number): Label {
  const offset = pixel * NUM_CLASSES;
  let best = 0;
  for (let c = 1; c < NUM_CLASSES; c++)
    if (probabilities[offset + c] > probabilities[offset + best]) best = c;
  return best as Label;
}

/** Labels 0–3 of every pixel. */
export function labelsOf(probabilities: ArrayLike<number>): Uint8Array {
  const labels = new Uint8Array(probabilities.length / NUM_CLASSES);
  for (let p = 0; p < labels.length; p++) labels[p] = mostProbable(probabilities, p);
  return labels;
}
