/**
 * Training losses over class probabilities [N, H, W, 4] and one-hot targets of the same shape.
 */
import * as tf from "@tensorflow/tfjs";
import { NUM_CLASSES } from "../classes.js";

/**
 * - `crossentropy`: categorical cross-entropy, every pixel alike;
 * - `weighted`: cross-entropy with a weight per class (rare classes, the overlap above all, count more);
 * - `dice`: cross-entropy plus (1 − mean soft Dice over the classes).
 */
export type LossKind = "crossentropy" | "weighted" | "dice";
export const LOSS_KINDS: readonly LossKind[] = ["crossentropy", "weighted", "dice"];

export type LossFunction = (target: tf.Tensor4D, probabilities: tf.Tensor4D) => tf.Scalar;

const EPSILON = 1e-7;

export function makeLoss(
  kind: LossKind,
  classWeights: readonly number[] = [1, 1, 1, 1],
): LossFunction {
  if (classWeights.length !== NUM_CLASSES) throw new Error(`need ${NUM_CLASSES} class weights`);
  const weights = kind === "weighted" ? classWeights : [1, 1, 1, 1];
  return (target, probabilities) =>
    tf.tidy(() => {
      const logP = tf.log(tf.clipByValue(probabilities, EPSILON, 1));
      const perPixel = tf.neg(tf.sum(tf.mul(tf.mul(target, logP), tf.tensor1d([...weights])), -1));
      const crossEntropy = tf.mean(perPixel);
      if (kind !== "dice") return crossEntropy as tf.Scalar;
      const axes = [0, 1, 2];
      const intersection = tf.sum(tf.mul(target, probabilities), axes);
      const total = tf.add(tf.sum(target, axes), tf.sum(probabilities, axes));
      const dice = tf.div(tf.add(tf.mul(intersection, 2), 1), tf.add(total, 1));
      return tf.add(crossEntropy, tf.sub(1, tf.mean(dice))) as tf.Scalar;
    });
}

/**
 * Class weights from label frequencies: 1 / sqrt(frequency), scaled so the background's is 1.
 * The square root keeps the overlap (about 1 % of pixels) from dominating.
 */
export function inverseSqrtFrequencyWeights(labels: Uint8Array): number[] {
  const counts = new Float64Array(NUM_CLASSES);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  const raw = Array.from(counts, (c) => 1 / Math.sqrt(Math.max(c, 1) / labels.length));
  return raw.map((w) => w / raw[0]);
}
