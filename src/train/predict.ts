/**
 * Runs a tfjs SegNet over samples in batches: pads each to the model's size, predicts, and crops
 * the most probable label back to the sample's size.
 */
import * as tf from "@tensorflow/tfjs";
import { NUM_CLASSES } from "../classes.js";
import { nameByArea } from "../data/name-by-area.js";
import type { SampleSet } from "../data/samples.js";
import { assembleBatch } from "./batches.js";
import type { LossFunction } from "./loss.js";
import { cropPlanes, padUp } from "../model/input.js";

export interface PredictOptions {
  /** Input height and width must divide by this (2 ^ depth). */
  divisor: number;
  batchSize?: number;
  /** When given, the mean loss over the samples is computed too. */
  loss?: LossFunction;
  /** Name each sample's chromosomes by area (data/name-by-area.ts), for permutation-invariant models. */
  nameByArea?: boolean;
  onProgress?: (done: number, total: number) => void;
}

export interface Predictions {
  /** Predicted labels 0–3, [indices.length, set.height, set.width]. */
  labels: Uint8Array;
  /** Mean loss per batch-sample, when a loss was given. */
  loss?: number;
}

export async function predictSamples(
  model: tf.LayersModel,
  set: SampleSet,
  indices: ArrayLike<number>,
  options: PredictOptions,
): Promise<Predictions> {
  const batchSize = options.batchSize ?? 32;
  const height = padUp(set.height, options.divisor);
  const width = padUp(set.width, options.divisor);
  const px = set.height * set.width;
  const labels = new Uint8Array(indices.length * px);
  let lossSum = 0;
  for (let start = 0; start < indices.length; start += batchSize) {
    const chosen = Array.from(
      { length: Math.min(batchSize, indices.length - start) },
      (_, k) => indices[start + k],
    );
    const batch = assembleBatch(set, chosen, height, width);
    const [predicted, loss] = tf.tidy(() => {
      const probabilities = model.predict(
        tf.tensor4d(batch.input, [batch.count, height, width, 1]),
      ) as tf.Tensor4D;
      const target = options.loss
        ? oneHotLabels(batch.labels, batch.count, height, width)
        : undefined;
      return [tf.argMax(probabilities, -1), target && options.loss!(target, probabilities)];
    });
    const padded = new Uint8Array(await predicted.data());
    const cropped = cropPlanes(padded, batch.count, height, width, set.height, set.width);
    if (options.nameByArea)
      for (let k = 0; k < batch.count; k++) nameByArea(cropped.subarray(k * px, (k + 1) * px));
    labels.set(cropped, start * px);
    if (loss) lossSum += (await loss.data())[0] * batch.count;
    tf.dispose([predicted, loss]);
    options.onProgress?.(start + batch.count, indices.length);
  }
  return { labels, loss: options.loss ? lossSum / indices.length : undefined };
}

/** Labels [count, height, width] → one-hot float targets [count, height, width, 4]. */
export function oneHotLabels(
  labels: Uint8Array,
  count: number,
  height: number,
  width: number,
): tf.Tensor4D {
  return tf.tidy(() =>
    tf.cast(
      tf.oneHot(tf.tensor3d(Int32Array.from(labels), [count, height, width], "int32"), NUM_CLASSES),
      "float32",
    ),
  ) as tf.Tensor4D;
}
