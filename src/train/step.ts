import * as tf from "@tensorflow/tfjs";
import { oneHotLabels } from "./predict.js";
import type { Batch } from "./batches.js";
import type { LossFunction } from "./loss.js";

/**
 * One optimizer step on `batch` (the model compiled with its optimizer); returns the batch's loss.
 * Batch norm and dropout run in training mode.
 */
export async function trainingStep(
  model: tf.LayersModel,
  loss: LossFunction,
  batch: Batch,
): Promise<number> {
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const value = tf.tidy(() => {
    const input = tf.tensor4d(batch.input, [batch.count, batch.height, batch.width, 1]);
    const target = oneHotLabels(batch.labels, batch.count, batch.height, batch.width);
    return model.optimizer.minimize(
      () => loss(target, model.apply(input, { training: true }) as tf.Tensor4D),
      true,
      variables,
    )!;
  });
  const result = (await value.data())[0];
  value.dispose();
  return result;
}
