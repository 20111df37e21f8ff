/**
 * Trains a SegNet with Adam and early stopping on the validation loss. The best model is saved
 * each time it improves; a checkpoint of the last epoch (with the optimizer's state) lets a run
 * be resumed; the report is rewritten after every epoch, so an interrupted run loses nothing.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import type { LoadedDataset } from "../data/hdf5.js";
import { splitDataset } from "../data/splits.js";
import { UserError } from "../errors.js";
import { sizeDivisor } from "../model/config.js";
import { padUp } from "../model/input.js";
import { predictSamples } from "./predict.js";
import { buildSegNet } from "../model/segnet.js";
import { loadModel, saveModel } from "../model/storage.js";
import { seededRandom, shuffle } from "../random.js";
import { renderTrainingCurve } from "../render/training-curve.js";
import { assembleBatch } from "./batches.js";
import { inverseSqrtFrequencyWeights, makeLoss } from "./loss.js";
import { PLATEAU_FACTOR } from "./train-config.js";
import type { TrainConfig } from "./train-config.js";
import { CURVE_FILE, REPORT_FILE, readTrainingReport } from "./training-report.js";
import type { EpochRecord, StopReason, TrainingReport } from "./training-report.js";
import { Confusion } from "./metrics.js";
import { trainingStep } from "./step.js";

export interface TrainRun {
  config: TrainConfig;
  dataset: LoadedDataset;
  dataSha256: string;
  /** Output folder: model.json + weights.bin (the best model), checkpoint/, report and curve. */
  out: string;
  backend: string;
  /** Continue from the checkpoint in `out`. */
  resume?: boolean;
  /** Aborting stops after the current batch (Ctrl-C). */
  signal?: AbortSignal;
  onBatch?: (epoch: number, done: number, total: number) => void;
  onEpoch?: (record: EpochRecord, improved: boolean) => void;
}

const CHECKPOINT = "checkpoint";
const STATE_FILE = "state.json";

/** What a checkpoint holds besides the model: enough to continue the early stopping. */
interface TrainingState {
  epoch: number;
  history: EpochRecord[];
  bestEpoch: number | null;
  bestValLoss: number | null;
  wait: number;
}

/** The report, and the model with the best epoch's weights restored (the caller disposes it). */
export interface TrainResult {
  report: TrainingReport;
  model: tf.LayersModel;
}

export async function train(run: TrainRun): Promise<TrainResult> {
  const { config, dataset, out } = run;
  const samples = dataset.samples;
  const split = splitDataset(config.split, samples.count, samples.pairIds, {
    validationFraction: config.validationFraction,
    seed: config.seed,
  });
  if (split.train.length === 0 || split.validation.length === 0) {
    throw new UserError(
      `${dataset.info.file}: too few samples for a ${config.split} split with validation (${samples.count})`,
    );
  }
  const divisor = sizeDivisor(config.model);
  // Rotations swap height and width, so augmented batches are square.
  const side = padUp(Math.max(samples.height, samples.width), divisor);
  const classWeights =
    config.classWeights ??
    (config.loss === "weighted" ? inverseSqrtFrequencyWeights(samples.labels) : undefined);
  const lossFunction = makeLoss(config.loss, {
    classWeights,
    permutationInvariant: config.permutationInvariant,
  });
  const resolvedConfig = { ...config, classWeights };

  if (run.resume) await checkResumedConfig(out, config);
  const { model, state } = run.resume
    ? await resumeFrom(out)
    : { model: buildSegNet(config.model, config.seed), state: freshState() };
  // A checkpoint brings its optimizer's state back with it; a new model starts one.
  if (!model.optimizer)
    model.compile({
      optimizer: tf.train.adam(config.learningRate),
      loss: "categoricalCrossentropy",
    });
  let best = state.bestEpoch === null ? null : (await loadModel(out)).getWeights();

  const report = (stopReason: StopReason, stopMessage: string): TrainingReport => ({
    config: resolvedConfig,
    data: {
      file: dataset.info.file,
      sha256: run.dataSha256,
      key: dataset.info.key,
      count: samples.count,
      height: samples.height,
      width: samples.width,
      labelCleaning: dataset.cleaning,
    },
    split: {
      kind: split.kind,
      train: split.train.length,
      validation: split.validation.length,
      test: split.test.length,
    },
    backend: run.backend,
    parameters: model.countParams(),
    history: state.history,
    bestEpoch: state.bestEpoch,
    bestValLoss: state.bestValLoss,
    stopReason,
    stopMessage,
    imagesPerSecond: mean(state.history.map((r) => r.imagesPerSecond)),
  });

  let stop: { reason: StopReason; message: string } | undefined;
  while (!stop && state.epoch < config.maxEpochs) {
    const epoch = state.epoch + 1;
    const started = performance.now();
    const learningRate = learningRateOf(model.optimizer);
    const random = seededRandom(config.seed * 100_003 + epoch);
    const order = shuffle(Uint32Array.from(split.train), random);
    const batches = Math.ceil(order.length / config.batchSize);
    let lossSum = 0;
    for (let b = 0; b < batches && !stop; b++) {
      const indices = order.subarray(b * config.batchSize, (b + 1) * config.batchSize);
      const batch = assembleBatch(samples, indices, side, side, {
        random,
        symmetries: config.augment,
        jitter: config.jitter,
        overlapGain: config.overlapGain,
      });
      const value = await trainingStep(model, lossFunction, batch);
      if (!Number.isFinite(value)) {
        stop = {
          reason: "non-finite-loss",
          message: `the training loss became ${value} in epoch ${epoch}, batch ${b + 1}: try a lower --learning-rate`,
        };
      } else if (run.signal?.aborted) {
        stop = { reason: "interrupted", message: `interrupted in epoch ${epoch}` };
      }
      lossSum += value * indices.length;
      run.onBatch?.(epoch, b + 1, batches);
      // A training step settles without a turn of the event loop, which is where Node delivers
      // signals: yield one, so that Ctrl-C or SIGTERM takes effect after this batch.
      await new Promise(setImmediate);
    }
    if (stop) break;
    const trainSeconds = (performance.now() - started) / 1000;

    const validation = await predictSamples(model, samples, split.validation, {
      divisor,
      batchSize: config.batchSize * 2,
      loss: lossFunction,
      nameByArea: config.permutationInvariant,
    });
    const confusion = new Confusion();
    confusion.add(
      selectLabels(samples.labels, split.validation, samples.height * samples.width),
      validation.labels,
    );
    const metrics = confusion.metrics();
    const record: EpochRecord = {
      epoch,
      learningRate,
      loss: lossSum / order.length,
      valLoss: validation.loss!,
      valPixelAccuracy: metrics.pixelAccuracy,
      valIoU: metrics.iou,
      valMeanIoU: metrics.meanIoU,
      imagesPerSecond: order.length / trainSeconds,
      seconds: (performance.now() - started) / 1000,
    };
    state.epoch = epoch;
    state.history.push(record);
    const improved =
      state.bestValLoss === null || record.valLoss < state.bestValLoss - config.minDelta;
    if (improved) {
      state.bestEpoch = epoch;
      state.bestValLoss = record.valLoss;
      state.wait = 0;
      tf.dispose(best ?? []);
      best = model.getWeights().map((w) => w.clone());
      await saveModel(model, out);
    } else {
      state.wait++;
      // The checkpoint below saves the optimizer with its new rate, so --resume goes on with it.
      if (config.schedule === "plateau")
        setLearningRate(model.optimizer, learningRate * PLATEAU_FACTOR);
    }
    await saveModel(model, join(out, CHECKPOINT), { includeOptimizer: true });
    await writeFile(join(out, CHECKPOINT, STATE_FILE), JSON.stringify(state, null, 2));
    run.onEpoch?.(record, improved);
    if (state.wait >= config.patience) {
      stop = {
        reason: "early-stopping",
        message: `validation loss did not improve by more than ${config.minDelta} for ${config.patience} epochs after epoch ${state.bestEpoch}`,
      };
    } else if (!Number.isFinite(record.valLoss)) {
      stop = {
        reason: "non-finite-loss",
        message: `the validation loss became ${record.valLoss} in epoch ${epoch}`,
      };
    }
    await writeReport(out, report("running", `after epoch ${epoch}`));
  }
  stop ??= { reason: "max-epochs", message: `reached the maximum of ${config.maxEpochs} epochs` };
  if (best) model.setWeights(best);
  const final = report(stop.reason, stop.message);
  await writeReport(out, final);
  tf.dispose(best ?? []);
  return { report: final, model };
}

/** Adam's current rate (tfjs keeps it as a plain field, saved in the optimizer's config). */
function learningRateOf(optimizer: tf.Optimizer): number {
  return (optimizer as unknown as { learningRate: number }).learningRate;
}

function setLearningRate(optimizer: tf.Optimizer, rate: number): void {
  (optimizer as unknown as { learningRate: number }).learningRate = rate;
}

function freshState(): TrainingState {
  return { epoch: 0, history: [], bestEpoch: null, bestValLoss: null, wait: 0 };
}

async function resumeFrom(out: string): Promise<{ model: tf.LayersModel; state: TrainingState }> {
  const folder = join(out, CHECKPOINT);
  let state: TrainingState;
  try {
    state = JSON.parse(await readFile(join(folder, STATE_FILE), "utf8")) as TrainingState;
  } catch {
    throw new UserError(
      `${out}: no checkpoint to resume from (expected ${join(folder, STATE_FILE)})`,
    );
  }
  return { model: await loadModel(folder), state };
}

/** What a resumed run may change: how long it goes on. */
const CHANGEABLE_ON_RESUME: readonly (keyof TrainConfig)[] = ["maxEpochs", "patience"];

/**
 * Refuses to resume a run with other settings than it was trained with (as its report records
 * them; settings the report predates are not compared), since the result would be neither run.
 */
async function checkResumedConfig(out: string, config: TrainConfig): Promise<void> {
  const saved = (await readTrainingReport(join(out, REPORT_FILE)))?.config;
  if (!saved) return;
  const differing = (Object.keys(saved) as (keyof TrainConfig)[]).filter(
    (key) =>
      !CHANGEABLE_ON_RESUME.includes(key) &&
      !(key === "classWeights" && config.classWeights === undefined) &&
      JSON.stringify(saved[key]) !== JSON.stringify(config[key]),
  );
  if (differing.length)
    throw new UserError(
      `${out} was trained with ${differing.map((key) => `${key} ${JSON.stringify(saved[key])}`).join(", ")}; ` +
        `resume it with the same settings (only ${CHANGEABLE_ON_RESUME.join(" and ")} may change)`,
    );
}

async function writeReport(out: string, report: TrainingReport): Promise<void> {
  await writeFile(join(out, REPORT_FILE), JSON.stringify(report, null, 2));
  if (report.history.length > 0)
    await writeFile(
      join(out, CURVE_FILE),
      await renderTrainingCurve(report.history, report.bestEpoch),
    );
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

function mean(values: number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
}
