/**
 * One epoch of training: a pass over the training samples in shuffled, augmented batches, then
 * the validation samples' loss and metrics, as the epoch's record for the report.
 */
import type * as tf from "@tensorflow/tfjs";
import type { SampleSet } from "../data/samples.js";
import { seededRandom, shuffle } from "../random.js";
import { assembleBatch } from "./batches.js";
import type { Stop } from "./early-stopping.js";
import type { LossFunction } from "./loss.js";
import { Confusion } from "./metrics.js";
import type { SegmentationMetrics } from "./metrics.js";
import { predictSamples } from "./predict.js";
import { trainingStep } from "./step.js";
import type { TrainConfig } from "./train-config.js";
import type { EpochRecord } from "./training-report.js";

/** What every epoch of a run works with. */
export interface EpochPlan {
  config: TrainConfig;
  samples: SampleSet;
  /** Indices of the training samples. */
  train: Uint32Array;
  /** Indices of the validation samples. */
  validation: Uint32Array;
  /** Height and width of the (square) training batches. */
  side: number;
  /** The model's input height and width must divide by this. */
  divisor: number;
  loss: LossFunction;
  /** Aborting stops after the current batch. */
  signal?: AbortSignal;
  onBatch?: (epoch: number, done: number, total: number) => void;
}

/** Epoch `epoch` (from 1) trained and validated, or why it stopped before its end. */
export async function runEpoch(
  plan: EpochPlan,
  model: tf.LayersModel,
  epoch: number,
): Promise<{ record: EpochRecord } | { stop: Stop }> {
  const started = performance.now();
  const learningRate = learningRateOf(model.optimizer);
  const trained = await trainEpoch(plan, model, epoch);
  if ("stop" in trained) return trained;
  const trainSeconds = (performance.now() - started) / 1000;
  const validation = await validate(plan, model);
  return {
    record: {
      epoch,
      learningRate,
      loss: trained.loss,
      valLoss: validation.loss,
      valPixelAccuracy: validation.metrics.pixelAccuracy,
      valIoU: validation.metrics.iou,
      valMeanIoU: validation.metrics.meanIoU,
      imagesPerSecond: trained.images / trainSeconds,
      seconds: (performance.now() - started) / 1000,
    },
  };
}

/**
 * One pass over the training samples, in an order and with augmentations drawn from the run's
 * seed and `epoch` (so that a resumed run draws what an uninterrupted one would): the mean
 * training loss, or why it stopped after a batch (a loss that is not a number, an abort).
 */
async function trainEpoch(
  plan: EpochPlan,
  model: tf.LayersModel,
  epoch: number,
): Promise<{ loss: number; images: number } | { stop: Stop }> {
  const { config } = plan;
  const random = seededRandom(config.seed * 100_003 + epoch);
  const order = shuffle(Uint32Array.from(plan.train), random);
  const batches = Math.ceil(order.length / config.batchSize);
  let lossSum = 0;
  let stop: Stop | undefined;
  for (let b = 0; b < batches && !stop; b++) {
    const indices = order.subarray(b * config.batchSize, (b + 1) * config.batchSize);
    const batch = assembleBatch(plan.samples, indices, plan.side, plan.side, {
      random,
      symmetries: config.augment,
      jitter: config.jitter,
      overlapGain: config.overlapGain,
    });
    const value = await trainingStep(model, plan.loss, batch);
    if (!Number.isFinite(value)) {
      stop = {
        reason: "non-finite-loss",
        message: `the training loss became ${value} in epoch ${epoch}, batch ${b + 1}: try a lower --learning-rate`,
      };
    } else if (plan.signal?.aborted) {
      stop = { reason: "interrupted", message: `interrupted in epoch ${epoch}` };
    }
    lossSum += value * indices.length;
    plan.onBatch?.(epoch, b + 1, batches);
    // A training step settles without a turn of the event loop, which is where Node delivers
    // signals: yield one, so that Ctrl-C or SIGTERM takes effect after this batch.
    await new Promise(setImmediate);
  }
  return stop ? { stop } : { loss: lossSum / order.length, images: order.length };
}

/** The validation samples' mean loss and the metrics of their predicted labels. */
async function validate(
  plan: EpochPlan,
  model: tf.LayersModel,
): Promise<{ loss: number; metrics: SegmentationMetrics }> {
  const { config, samples } = plan;
  const predicted = await predictSamples(model, samples, plan.validation, {
    divisor: plan.divisor,
    batchSize: config.batchSize * 2,
    loss: plan.loss,
    nameByArea: config.permutationInvariant,
  });
  const confusion = new Confusion();
  confusion.add(
    selectLabels(samples.labels, plan.validation, samples.height * samples.width),
    predicted.labels,
  );
  return { loss: predicted.loss!, metrics: confusion.metrics() };
}

/** The labels of the samples `indices`, concatenated. */
export function selectLabels(
  labels: Uint8Array,
  indices: ArrayLike<number>,
  px: number,
): Uint8Array {
  const out = new Uint8Array(indices.length * px);
  for (let k = 0; k < indices.length; k++)
    out.set(labels.subarray(indices[k] * px, (indices[k] + 1) * px), k * px);
  return out;
}

/** Adam's current rate (tfjs keeps it as a plain field, saved in the optimizer's config). */
function learningRateOf(optimizer: tf.Optimizer): number {
  return (optimizer as unknown as { learningRate: number }).learningRate;
}

export function setLearningRate(optimizer: tf.Optimizer, rate: number): void {
  (optimizer as unknown as { learningRate: number }).learningRate = rate;
}
