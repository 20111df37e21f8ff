/**
 * The training container's configuration contract: the environment variables the Batch job
 * definition in infra/ sets and entrypoint.ts reads. Both take the names from here, so the two
 * cannot drift.
 */
import { PRESET_NAMES } from "../model/config.js";
import type { PresetName } from "../model/config.js";
import { DATASETS_PREFIX, MODELS_PREFIX } from "./bucket-layout.js";
import { EnvironmentReader, positiveInteger, under } from "./environment.js";

export interface TrainingEnvironment {
  /** The bucket holding datasets/ and models/. */
  bucket: string;
  /** Key of the HDF5 training set (Kaggle layout), under datasets/. */
  datasetKey: string;
  /** Where the trained model is written: a folder under models/, ending with `/`. */
  modelPrefix: string;
  /** SegNet preset, as `chromoseg train --preset`. */
  preset: PresetName;
  /** Maximum epochs, as `chromoseg train --epochs`. */
  epochs: number;
  /** Epochs without improvement before stopping, as `chromoseg train --patience`. */
  patience: number;
}

/** The environment variable behind each setting (all required; numbers as decimal integers). */
export const TRAINING_ENVIRONMENT = {
  bucket: "BUCKET_NAME",
  datasetKey: "DATASET_KEY",
  modelPrefix: "MODEL_PREFIX",
  preset: "PRESET",
  epochs: "EPOCHS",
  patience: "PATIENCE",
} as const satisfies Record<keyof TrainingEnvironment, string>;

/** Reads and checks the job's environment; throws one line naming every problem. */
export function readTrainingEnvironment(env: NodeJS.ProcessEnv = process.env): TrainingEnvironment {
  const reader = new EnvironmentReader("training job", env);
  const bucket = reader.read(TRAINING_ENVIRONMENT.bucket);
  const datasetKey = reader.read(TRAINING_ENVIRONMENT.datasetKey, under(DATASETS_PREFIX));
  const modelPrefix = reader.read(TRAINING_ENVIRONMENT.modelPrefix, (value) =>
    value.endsWith("/") ? under(MODELS_PREFIX)(value) : `must end with / (got ${value})`,
  );
  const preset = reader.read(TRAINING_ENVIRONMENT.preset, (value) =>
    (PRESET_NAMES as readonly string[]).includes(value)
      ? undefined
      : `must be one of ${PRESET_NAMES.join(", ")} (got ${value})`,
  );
  const epochs = reader.read(TRAINING_ENVIRONMENT.epochs, positiveInteger);
  const patience = reader.read(TRAINING_ENVIRONMENT.patience, positiveInteger);
  reader.finish();
  return {
    bucket,
    datasetKey,
    modelPrefix,
    preset: preset as PresetName,
    epochs: Number(epochs),
    patience: Number(patience),
  };
}
