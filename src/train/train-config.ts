/**
 * What a training run is given, and the defaults that `chromoseg train`, the training job and the
 * infrastructure share. No tfjs here: the CLI's help and the CDK app read it without loading it.
 */
import type { ChromosomeNaming } from "../data/name-by-area.js";
import type { SplitKind } from "../data/splits.js";
import type { PresetName, SegNetConfig } from "../model/config.js";
import type { LossKind } from "./loss.js";

/**
 * - `constant`: Adam's rate throughout;
 * - `plateau`: the rate is multiplied by `PLATEAU_FACTOR` after every epoch whose validation loss
 *   did not improve (early stopping still ends the run after `patience` such epochs in a row).
 */
export type LearningRateSchedule = "constant" | "plateau";
export const LEARNING_RATE_SCHEDULES: readonly LearningRateSchedule[] = ["constant", "plateau"];
export const PLATEAU_FACTOR = 0.5;

export interface TrainConfig {
  preset: PresetName;
  model: SegNetConfig;
  /** Adam's initial learning rate. */
  learningRate: number;
  schedule: LearningRateSchedule;
  batchSize: number;
  /** Upper bound; early stopping usually ends sooner. */
  maxEpochs: number;
  /** Epochs without an improvement of the validation loss by more than `minDelta` before stopping. */
  patience: number;
  minDelta: number;
  loss: LossKind;
  /** Per class, for `weighted`; default: `inverseSqrtFrequencyWeights` of the training labels. */
  classWeights?: number[];
  /**
   * The loss ignores which chromosome is called A (see `LossOptions`); predictions, validation
   * included, then name the chromosomes by area.
   */
  permutationInvariant: boolean;
  /** Flips and 90° rotations. */
  augment: boolean;
  /** Grey jitter amount, 0 = none. */
  jitter: number;
  /** Lowest random factor on the overlap's grey (1 = off), see `scaleOverlapGrey`. */
  overlapGain: number;
  split: SplitKind;
  validationFraction: number;
  /** Initial weights, shuffling, augmentation and the grouped split's choice of pairs. */
  seed: number;
}

/**
 * What `chromoseg train` and the training job use where nothing else is said. The loss,
 * permutation invariance, augmentation and the plateau schedule are the recipe that won at the
 * same budget on the `kaggle` preset (docs/accuracy.md).
 */
export const TRAIN_DEFAULTS = {
  learningRate: 1e-3,
  schedule: "plateau",
  batchSize: 16,
  maxEpochs: 100,
  patience: 3,
  minDelta: 1e-4,
  loss: "dice",
  permutationInvariant: true,
  augment: true,
  jitter: 0,
  overlapGain: 1,
  split: "kaggle",
  validationFraction: 0.05,
  seed: 1,
} as const satisfies Omit<TrainConfig, "preset" | "model" | "classWeights">;

/**
 * The preset where none is given, by what trains: the reference network where a GPU has room for
 * it (`chromoseg train` on tfjs-node-gpu, the training job on AWS), the small one on a CPU
 * (`chromoseg train` otherwise, `chromoseg local train`).
 */
export const DEFAULT_PRESETS = {
  gpu: "seed",
  cpu: "lite",
} as const satisfies Record<"gpu" | "cpu", PresetName>;

/** How a model trained with `config` names its chromosomes (see data/name-by-area.ts). */
export function chromosomeNamingOf(
  config: Pick<TrainConfig, "permutationInvariant">,
): ChromosomeNaming {
  // Reports written before the option existed lack it: those models name them themselves.
  return config.permutationInvariant ? "area" : "network";
}
