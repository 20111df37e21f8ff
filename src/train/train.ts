/**
 * Trains a SegNet with Adam and early stopping on the validation loss. The best model is saved
 * each time it improves; a checkpoint of the last epoch (with the optimizer's state) lets a run
 * be resumed; the report is rewritten after every epoch, so an interrupted run loses nothing.
 *
 * An epoch and its validation: epoch.ts; the early stopping's state and decisions:
 * early-stopping.ts; the checkpoint and resuming: checkpoint.ts.
 */
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import type { LoadedDataset } from "../data/hdf5.js";
import { splitDataset } from "../data/splits.js";
import type { Split } from "../data/splits.js";
import { UserError } from "../errors.js";
import { writeFileAtomically } from "../files.js";
import { sizeDivisor } from "../model/config.js";
import { padUp } from "../model/input.js";
import { buildSegNet } from "../model/segnet.js";
import { loadModel, saveModel } from "../model/storage.js";
import { renderTrainingCurve } from "../render/training-curve.js";
import { checkResumedConfig, resumeFrom, saveCheckpoint } from "./checkpoint.js";
import { freshState, recordEpoch, stopAfterEpoch } from "./early-stopping.js";
import type { Stop, TrainingState } from "./early-stopping.js";
import { runEpoch, setLearningRate } from "./epoch.js";
import type { EpochPlan } from "./epoch.js";
import { inverseSqrtFrequencyWeights, makeLoss } from "./loss.js";
import { PLATEAU_FACTOR } from "./train-config.js";
import type { TrainConfig } from "./train-config.js";
import { CURVE_FILE, REPORT_FILE } from "./training-report.js";
import type { EpochRecord, TrainingReport } from "./training-report.js";

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

/** The report, and the model with the best epoch's weights restored (the caller disposes it). */
export interface TrainResult {
  report: TrainingReport;
  model: tf.LayersModel;
}

export async function train(run: TrainRun): Promise<TrainResult> {
  const { config, out } = run;
  const { plan, split, resolvedConfig } = planRun(run);

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
  const report = (stop: Stop) => trainingReport(run, resolvedConfig, split, model, state, stop);

  let stop: Stop | undefined;
  while (!stop && state.epoch < config.maxEpochs) {
    const epoch = await runEpoch(plan, model, state.epoch + 1);
    if ("stop" in epoch) {
      stop = epoch.stop;
      break;
    }
    const { record } = epoch;
    const improved = recordEpoch(state, record, config.minDelta);
    if (improved) {
      tf.dispose(best ?? []);
      best = model.getWeights().map((w) => w.clone());
      await saveModel(model, out);
    } else if (config.schedule === "plateau") {
      // The checkpoint below saves the optimizer with its new rate, so --resume goes on with it.
      setLearningRate(model.optimizer, record.learningRate * PLATEAU_FACTOR);
    }
    await saveCheckpoint(model, out, state);
    run.onEpoch?.(record, improved);
    stop = stopAfterEpoch(state, config);
    await writeReport(out, report({ reason: "running", message: `after epoch ${record.epoch}` }));
  }
  stop ??= { reason: "max-epochs", message: `reached the maximum of ${config.maxEpochs} epochs` };
  if (best) model.setWeights(best);
  const final = report(stop);
  await writeReport(out, final);
  tf.dispose(best ?? []);
  return { report: final, model };
}

/**
 * What the run's epochs work with: the split (refused without training or validation samples),
 * the batches' size, the loss with its class weights; and the configuration as the report
 * records it (with the class weights the loss uses).
 */
function planRun(run: TrainRun): { plan: EpochPlan; split: Split; resolvedConfig: TrainConfig } {
  const { config, dataset } = run;
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
  const loss = makeLoss(config.loss, {
    classWeights,
    permutationInvariant: config.permutationInvariant,
  });
  return {
    plan: {
      config,
      samples,
      train: split.train,
      validation: split.validation,
      side,
      divisor,
      loss,
      signal: run.signal,
      onBatch: run.onBatch,
    },
    split,
    resolvedConfig: { ...config, classWeights },
  };
}

function trainingReport(
  run: TrainRun,
  resolvedConfig: TrainConfig,
  split: Split,
  model: tf.LayersModel,
  state: TrainingState,
  stop: Stop,
): TrainingReport {
  const { dataset } = run;
  const { samples } = dataset;
  return {
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
    stopReason: stop.reason,
    stopMessage: stop.message,
    imagesPerSecond: mean(state.history.map((r) => r.imagesPerSecond)),
  };
}

/** Writes the report and, once an epoch is in it, the training curve, each whole or not at all. */
async function writeReport(out: string, report: TrainingReport): Promise<void> {
  await writeFileAtomically(join(out, REPORT_FILE), JSON.stringify(report, null, 2));
  if (report.history.length > 0)
    await writeFileAtomically(
      join(out, CURVE_FILE),
      await renderTrainingCurve(report.history, report.bestEpoch),
    );
}

function mean(values: number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
}
