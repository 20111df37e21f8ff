/**
 * `chromoseg evaluate`'s work: a trained model of either kind (an ONNX file in onnxruntime, a tfjs
 * model in TensorFlow.js) on the test samples of a split of a dataset, measured, with the figures
 * and two pictures written beside each other in one folder.
 */
import { availableParallelism } from "node:os";
import { basename, join, resolve } from "node:path";
import * as ort from "onnxruntime-node";
import { loadDataset } from "../data/hdf5.js";
import type { LabelPolicy } from "../data/label-policy.js";
import type { ChromosomeNaming } from "../data/name-by-area.js";
import { pixelsPerSample } from "../data/samples.js";
import { splitDataset } from "../data/splits.js";
import type { SplitKind } from "../data/splits.js";
import { UserError } from "../errors.js";
import { writeFileAtomically } from "../files.js";
import { selectBackend } from "../model/backend.js";
import type { BackendChoice } from "../model/backend.js";
import { modelDivisor } from "../model/segnet.js";
import { loadModel, modelFolder } from "../model/storage.js";
import { chromosomeNaming } from "../onnx/metadata.js";
import { OnnxModel } from "../onnx/onnx-model.js";
import { scaleOverlapGrey } from "../train/augment.js";
import { predictSamples } from "../train/predict.js";
import { chromosomeNamingOf } from "../train/train-config.js";
import { REPORT_FILE, readTrainingReport } from "../train/training-report.js";
import { evaluateSamples, renderSamples, spreadPositions } from "./evaluate.js";
import type { Evaluation, LabelPredictor } from "./evaluate.js";
import { onnxPredictor } from "./onnx-predictor.js";

/** How a model runs: what `loadPredictor` needs. */
export interface PredictorOptions {
  /** Samples per inference batch. @default 32 */
  batchSize?: number;
  /** The TensorFlow.js backend of a tfjs model. @default "auto" */
  backend?: BackendChoice;
  /** Threads of the wasm backend (tfjs models). @default the cores */
  threads?: number;
  /** Test-time augmentation: the 8 flips and rotations averaged (ONNX models only). */
  tta?: boolean;
}

export interface EvaluateModelOptions extends PredictorOptions {
  /** A trained model: the folder of chromoseg train, its model.json, or an ONNX file. */
  model: string;
  /** The dataset, an HDF5 file in the Kaggle layout. */
  data: string;
  /** The dataset's key. */
  key?: string;
  /** @default "clean" */
  labels?: LabelPolicy;
  /** Whose test samples to use. @default "kaggle" */
  split?: SplitKind;
  /** The grouped split's seed. @default 1 */
  seed?: number;
  /** Where the JSON and the pictures go. @default `defaultEvaluationFolder(model)` */
  out?: string;
  /** Scale the test samples' overlap grey by this factor first (see `scaleOverlapGrey`). */
  overlapGain?: number;
  /** Called once the model is loaded, with what runs it (`Predictor.summary`). */
  onModel?: (summary: string) => void;
  /** Progress of reading the dataset (`read`) and of predicting the test samples (`evaluate`). */
  onProgress?: (stage: "read" | "evaluate", done: number, total: number) => void;
}

/** What `evaluateModel` writes as JSON: the evaluation and what was evaluated. */
export interface ModelEvaluation extends Evaluation {
  model: string;
  data: string;
  split: SplitKind;
  tta: boolean;
  overlapGain: number;
}

export interface EvaluateModelResult {
  evaluation: ModelEvaluation;
  /** The files written: the evaluation as JSON, the worst samples' and the spread samples' pictures. */
  files: { json: string; worst: string; samples: string };
}

/**
 * Evaluates `options.model` on the test samples of a split of `options.data` (see `evaluateSamples`)
 * and writes, to `out`, evaluation-<name>.json, worst-<name>.png (the 16 worst samples) and
 * samples-<name>.png (16 spread evenly over the split), <name> being `evaluationName`.
 */
export async function evaluateModel(options: EvaluateModelOptions): Promise<EvaluateModelResult> {
  const split = options.split ?? "kaggle";
  const predictor = await loadPredictor(options.model, options);
  options.onModel?.(predictor.summary);
  const { samples, test, result } = await evaluateTestSamples(predictor, split, options).finally(
    predictor.release,
  );
  const out = options.out ?? (await defaultEvaluationFolder(options.model));
  const evaluation: ModelEvaluation = {
    model: options.model,
    data: options.data,
    split,
    tta: options.tta ?? false,
    overlapGain: options.overlapGain ?? 1,
    ...result.evaluation,
  };
  const name = evaluationName(options.model, split, options);
  const files = {
    json: join(out, `evaluation-${name}.json`),
    worst: join(out, `worst-${name}.png`),
    samples: join(out, `samples-${name}.png`),
  };
  await writeFileAtomically(files.json, JSON.stringify(evaluation, null, 2));
  await writeFileAtomically(
    files.worst,
    await renderSamples(samples, test, result, result.worstPositions),
  );
  const spread = spreadPositions(test.length);
  await writeFileAtomically(files.samples, await renderSamples(samples, test, result, spread));
  return { evaluation, files };
}

/** Reads the dataset, picks the split's test samples (their overlaps dimmed if asked) and evaluates them. */
async function evaluateTestSamples(
  { predict, naming }: Predictor,
  split: SplitKind,
  options: EvaluateModelOptions,
) {
  const { samples } = await loadDataset(options.data, {
    key: options.key,
    labels: options.labels ?? "clean",
    onProgress: (done, total) => options.onProgress?.("read", done, total),
  });
  const { test } = splitDataset(split, samples.count, samples.pairIds, {
    seed: options.seed ?? 1,
  });
  if (options.overlapGain !== undefined) {
    const px = pixelsPerSample(samples);
    for (const s of test) {
      const range = [s * px, (s + 1) * px] as const;
      scaleOverlapGrey(
        samples.grey.subarray(...range),
        samples.labels.subarray(...range),
        options.overlapGain,
      );
    }
  }
  const result = await evaluateSamples(samples, test, predict, {
    naming,
    onProgress: (done, total) => options.onProgress?.("evaluate", done, total),
  });
  return { samples, test, result };
}

/**
 * What names an evaluation's files: the split, then -onnx for an ONNX model (an export evaluated
 * beside its tfjs model keeps both results), -tta, and -gain<f> for an overlap gain.
 */
export function evaluationName(
  model: string,
  split: SplitKind,
  options: { tta?: boolean; overlapGain?: number } = {},
): string {
  const onnx = model.toLowerCase().endsWith(".onnx");
  const gain = options.overlapGain === undefined ? "" : `-gain${options.overlapGain}`;
  return `${split}${onnx ? "-onnx" : ""}${options.tta ? "-tta" : ""}${gain}`;
}

/**
 * out/evaluate/<name> in the working folder, never beside the model (which may be a package's
 * models/): <name> is the model's file name without .onnx or .json, or its folder's name for a
 * folder, model.json or model.onnx.
 */
export async function defaultEvaluationFolder(model: string): Promise<string> {
  const folder = await modelFolder(model);
  const file = basename(model).replace(/\.(onnx|json)$/i, "");
  const name = folder === model || file === "model" ? basename(resolve(folder)) : file;
  return join("out", "evaluate", name);
}

export interface Predictor {
  /** The network's labels as they came, except with test-time augmentation (see evaluate --help). */
  predict: LabelPredictor;
  naming: ChromosomeNaming;
  /** What runs the model, in one line. */
  summary: string;
  release: () => Promise<void>;
}

/** An ONNX file runs in onnxruntime; anything else is a tfjs model. */
export async function loadPredictor(
  modelPath: string,
  options: PredictorOptions = {},
): Promise<Predictor> {
  const batchSize = options.batchSize ?? 32;
  if (modelPath.toLowerCase().endsWith(".onnx")) {
    const model = await OnnxModel.load(modelPath);
    return {
      // test-time augmentation must name each view before averaging: it keeps the model's naming
      predict: onnxPredictor(model, {
        tta: options.tta,
        batchSize,
        naming: options.tta ? undefined : "network",
      }),
      naming: chromosomeNaming(model.metadata),
      summary: `onnxruntime-node ${ort.env.versions.common}, ${availableParallelism()} threads${options.tta ? ", test-time augmentation" : ""}`,
      release: () => model.release(),
    };
  }
  if (options.tta) throw new UserError("--tta needs an ONNX model (chromoseg export)");
  const backend = await selectBackend(options.backend ?? "auto", options.threads);
  const model = await loadModel(modelPath);
  const divisor = modelDivisor(model);
  const report = await readTrainingReport(join(await modelFolder(modelPath), REPORT_FILE));
  return {
    naming: report ? chromosomeNamingOf(report.config) : "network",
    predict: async (set, indices, onProgress) =>
      (await predictSamples(model, set, indices, { divisor, batchSize, onProgress })).labels,
    summary: backend.summary,
    release: async () => {
      model.dispose();
    },
  };
}
