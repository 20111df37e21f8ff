/**
 * The training report (training-report.json) written beside a trained model: configuration, data,
 * split, per-epoch history and why the run stopped; and the file names of a run's outputs.
 */
import { readFile } from "node:fs/promises";
import type { ClassName } from "../classes.js";
import type { LoadedDataset } from "../data/hdf5.js";
import type { SplitKind } from "../data/splits.js";
import { UserError } from "../errors.js";
import type { TrainConfig } from "./train-config.js";

export const REPORT_FILE = "training-report.json";
export const CURVE_FILE = "training-curve.png";

export interface EpochRecord {
  epoch: number;
  /** Adam's learning rate during the epoch. */
  learningRate: number;
  /** Mean training loss. */
  loss: number;
  valLoss: number;
  valPixelAccuracy: number;
  valIoU: Record<ClassName, number>;
  valMeanIoU: number;
  /** Training images per second (validation excluded). */
  imagesPerSecond: number;
  seconds: number;
}

/** `running` only in the report rewritten after each epoch, before the run ends. */
export type StopReason =
  "running" | "early-stopping" | "max-epochs" | "interrupted" | "non-finite-loss";

export interface TrainingReport {
  config: TrainConfig;
  data: {
    file: string;
    sha256: string;
    key: string;
    count: number;
    height: number;
    width: number;
    labelCleaning: LoadedDataset["cleaning"];
  };
  split: { kind: SplitKind; train: number; validation: number; test: number };
  backend: string;
  /** Parameters of the model. */
  parameters: number;
  history: EpochRecord[];
  /** The epoch whose weights were saved and restored, or null when no epoch completed. */
  bestEpoch: number | null;
  bestValLoss: number | null;
  stopReason: StopReason;
  /** Why it stopped, in words. */
  stopMessage: string;
  /** Mean training images per second over the epochs. */
  imagesPerSecond: number;
}

/** The report in `file`, or null when there is none. */
export async function readTrainingReport(file: string): Promise<TrainingReport | null> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  try {
    return JSON.parse(text) as TrainingReport;
  } catch {
    throw new UserError(`${file}: not valid JSON; move it away to go on without a training report`);
  }
}
