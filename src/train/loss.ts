/**
 * Training losses over class probabilities [N, H, W, 4] and one-hot targets of the same shape.
 */
import * as tf from "@tensorflow/tfjs";
import { NUM_CLASSES } from "../classes.js";

/**
 * - `crossentropy`: categorical cross-entropy, every pixel alike;
 * - `weighted`: cross-entropy with a weight per class (rare classes, the overlap above all, count more);
 * - `dice`: cross-entropy plus (1 − mean soft Dice over the classes of each image).
 */
export type LossKind = "crossentropy" | "weighted" | "dice";
export const LOSS_KINDS: readonly LossKind[] = ["crossentropy", "weighted", "dice"];

export type LossFunction = (target: tf.Tensor4D, probabilities: tf.Tensor4D) => tf.Scalar;

export interface LossOptions {
  /** Per class, for `weighted`. @default [1, 1, 1, 1] */
  classWeights?: readonly number[];
  /**
   * Score each image against its labels and against them with chromosomes A and B swapped, and
   * keep the lower loss: the network then only has to keep each chromosome in one channel, and
   * which channel is A is decided afterwards by area (data/name-by-area.ts).
   * @default false
   */
  permutationInvariant?: boolean;
}

const EPSILON = 1e-7;
/** Channel order with chromosomes A (1) and B (2) exchanged. */
const SWAPPED_CHROMOSOMES = [0, 2, 1, 3];

export function makeLoss(kind: LossKind, options: LossOptions = {}): LossFunction {
  const classWeights = options.classWeights ?? [1, 1, 1, 1];
  if (classWeights.length !== NUM_CLASSES) throw new Error(`need ${NUM_CLASSES} class weights`);
  const perImage = perImageLoss(kind, kind === "weighted" ? classWeights : [1, 1, 1, 1]);
  return (target, probabilities) =>
    tf.tidy(() => {
      const loss = perImage(target, probabilities);
      if (!options.permutationInvariant) return tf.mean(loss) as tf.Scalar;
      const swapped = perImage(tf.gather(target, SWAPPED_CHROMOSOMES, 3), probabilities);
      return tf.mean(tf.minimum(loss, swapped)) as tf.Scalar;
    });
}

/** The loss of each image of the batch, [N]. */
function perImageLoss(
  kind: LossKind,
  weights: readonly number[],
): (target: tf.Tensor4D, probabilities: tf.Tensor4D) => tf.Tensor1D {
  const pixelAxes = [1, 2];
  return (target, probabilities) => {
    const logP = tf.log(tf.clipByValue(probabilities, EPSILON, 1));
    const perPixel = tf.neg(tf.sum(tf.mul(tf.mul(target, logP), tf.tensor1d([...weights])), -1));
    const crossEntropy = tf.mean(perPixel, pixelAxes) as tf.Tensor1D;
    if (kind !== "dice") return crossEntropy;
    const intersection = tf.sum(tf.mul(target, probabilities), pixelAxes);
    const total = tf.add(tf.sum(target, pixelAxes), tf.sum(probabilities, pixelAxes));
    const dice = tf.div(tf.add(tf.mul(intersection, 2), 1), tf.add(total, 1));
    return tf.add(crossEntropy, tf.sub(1, tf.mean(dice, -1)));
  };
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
