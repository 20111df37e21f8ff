/**
 * The training job, over the same code as the CLI: dataset from the bucket → train with early
 * stopping → evaluate on the test split → export to ONNX with the parity check → upload
 * models/<version>/ → move models/latest.json if the quality gate lets it.
 */
import { createWriteStream } from "node:fs";
import { mkdir, readFile, statfs } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { GetObjectCommand, HeadObjectCommand } from "@aws-sdk/client-s3";
import type { S3Client } from "@aws-sdk/client-s3";
import { loadDataset } from "../data/hdf5.js";
import { splitDataset } from "../data/splits.js";
import { UserError } from "../errors.js";
import { evaluateSamples } from "../evaluate/evaluate.js";
import { exportToOnnx } from "../export/export.js";
import { describeParity, loadParityImage } from "../export/parity.js";
import { sha256File } from "../hash.js";
import { selectBackend } from "../model/backend.js";
import { SEGNET_PRESETS } from "../model/config.js";
import type { PresetName } from "../model/config.js";
import { modelDivisor } from "../model/segnet.js";
import { predictSamples } from "../train/predict.js";
import { MODEL_JSON, WEIGHTS_BIN } from "../model/storage.js";
import { train } from "../train/train.js";
import { TRAIN_DEFAULTS, chromosomeNamingOf } from "../train/train-config.js";
import { REPORT_FILE } from "../train/training-report.js";
import { MODEL_FILE, ModelRegistry } from "./model-registry.js";

export interface TrainingJobSettings {
  bucket: string;
  datasetKey: string;
  preset: PresetName;
  epochs: number;
  patience: number;
}

export interface TrainingJobOptions {
  s3: S3Client;
  settings: TrainingJobSettings;
  /** Local scratch space: the dataset and the run's files. */
  workDir: string;
  /** @default a timestamp such as 2026-11-26T20-15-03Z */
  version?: string;
  /** The quality gate's allowance, test mean IoU 0–1. @default QUALITY_GATE_TOLERANCE */
  tolerance?: number;
  /** Promote even when worse. */
  force?: boolean;
  /** Larger datasets are refused before download. @default 20 GB */
  maxDatasetBytes?: number;
  log?: (line: string) => void;
}

export interface TrainingJobResult {
  version: string;
  testMeanIoU: number;
  promoted: boolean;
  reason: string;
}

/** Bad data and settings throw UserError; S3 faults throw what the SDK threw. */
export async function runTrainingJob(options: TrainingJobOptions): Promise<TrainingJobResult> {
  const { s3, settings, workDir } = options;
  const log = options.log ?? console.log;
  const version =
    options.version ?? new Date().toISOString().replace(/:/g, "-").replace(/\..*/, "Z");
  const backend = await selectBackend("auto");
  log(backend.summary);

  const dataFile = await downloadDataset(s3, settings, workDir, options.maxDatasetBytes ?? 20e9);
  log(`downloaded s3://${settings.bucket}/${settings.datasetKey}`);
  const [dataset, dataSha256] = await Promise.all([loadDataset(dataFile), sha256File(dataFile)]);

  const out = join(workDir, "run");
  const { report, model } = await train({
    config: {
      ...TRAIN_DEFAULTS,
      preset: settings.preset,
      model: SEGNET_PRESETS[settings.preset],
      maxEpochs: settings.epochs,
      patience: settings.patience,
    },
    dataset,
    dataSha256,
    out,
    backend: backend.summary,
    onEpoch: (record, improved) =>
      log(
        `epoch ${record.epoch}: val loss ${record.valLoss.toFixed(4)}${improved ? " (best)" : ""}`,
      ),
  });
  log(`training stopped: ${report.stopMessage}`);
  if (report.bestEpoch === null) throw new UserError("no epoch completed: nothing to publish");

  const { samples } = dataset;
  const split = splitDataset(report.split.kind, samples.count, samples.pairIds, {
    seed: report.config.seed,
  });
  const divisor = modelDivisor(model);
  const { evaluation } = await evaluateSamples(
    samples,
    split.test,
    async (set, indices) => (await predictSamples(model, set, indices, { divisor })).labels,
    { naming: chromosomeNamingOf(report.config) },
  );
  log(`test mean IoU ${(100 * evaluation.meanIoU).toFixed(2)} % on ${split.test.length} samples`);

  const { bytes, metadata } = await exportToOnnx({
    model,
    report,
    parityImage: await loadParityImage(),
  });
  model.dispose();
  log(`exported: ${describeParity(metadata.parity)}`);

  const registry = new ModelRegistry(s3, settings.bucket);
  await registry.upload(
    version,
    {
      [MODEL_FILE]: bytes,
      [REPORT_FILE]: await readFile(join(out, REPORT_FILE)),
      [`tfjs/${MODEL_JSON}`]: await readFile(join(out, MODEL_JSON)),
      [`tfjs/${WEIGHTS_BIN}`]: await readFile(join(out, WEIGHTS_BIN)),
    },
    evaluation.meanIoU,
    { dataSha256, testIoU: evaluation.iou, bestEpoch: report.bestEpoch },
  );
  const outcome = await registry.promote(version, {
    tolerance: options.tolerance,
    force: options.force,
  });
  log(
    `uploaded models/${version}/; ${outcome.promoted ? "now in use" : "not promoted"}: ${outcome.reason}`,
  );
  return { version, testMeanIoU: evaluation.meanIoU, ...outcome };
}

/** Streams the dataset to disk after checking its size against the limit and the free space. */
async function downloadDataset(
  s3: S3Client,
  { bucket, datasetKey }: TrainingJobSettings,
  workDir: string,
  maxBytes: number,
): Promise<string> {
  let size: number;
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: datasetKey }));
    size = head.ContentLength ?? 0;
  } catch (error) {
    if ((error as { name?: string }).name === "NotFound")
      throw new UserError(`no dataset at s3://${bucket}/${datasetKey}`);
    throw error;
  }
  if (size > maxBytes)
    throw new UserError(`dataset ${datasetKey} is ${size} bytes, over the limit of ${maxBytes}`);
  await mkdir(workDir, { recursive: true });
  const disk = await statfs(workDir);
  if (size > disk.bavail * disk.bsize)
    throw new Error(`dataset ${datasetKey} (${size} bytes) does not fit on the local disk`);
  const file = join(workDir, "dataset.h5");
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: datasetKey }));
  await pipeline(object.Body as Readable, createWriteStream(file));
  return file;
}
