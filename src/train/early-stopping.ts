/**
 * Early stopping on the validation loss: the state a run carries from epoch to epoch (and a
 * checkpoint saves, so that a resumed run goes on with it), and the decisions made on it.
 */
import type { EpochRecord, StopReason } from "./training-report.js";

/** What a checkpoint holds besides the model: enough to continue the early stopping. */
export interface TrainingState {
  /** Epochs completed. */
  epoch: number;
  history: EpochRecord[];
  bestEpoch: number | null;
  bestValLoss: number | null;
  /** Epochs since the last improvement. */
  wait: number;
}

/** Why a run stopped, and in words. */
export interface Stop {
  reason: StopReason;
  message: string;
}

/** What early stopping is told: improvements of `minDelta` or less do not count. */
export interface Patience {
  minDelta: number;
  patience: number;
}

/** The state of a run before its first epoch. */
export function freshState(): TrainingState {
  return { epoch: 0, history: [], bestEpoch: null, bestValLoss: null, wait: 0 };
}

/**
 * Adds `record` to the history; true when its validation loss improves on the best by more than
 * `minDelta` (the first epoch always does), which makes it the best epoch.
 */
export function recordEpoch(state: TrainingState, record: EpochRecord, minDelta: number): boolean {
  state.epoch = record.epoch;
  state.history.push(record);
  const improved = state.bestValLoss === null || record.valLoss < state.bestValLoss - minDelta;
  if (improved) {
    state.bestEpoch = record.epoch;
    state.bestValLoss = record.valLoss;
    state.wait = 0;
  } else {
    state.wait++;
  }
  return improved;
}

/**
 * Why to stop after the last epoch recorded: `patience` epochs without improvement, or a
 * validation loss that is not a number; undefined to go on.
 */
export function stopAfterEpoch(state: TrainingState, settings: Patience): Stop | undefined {
  const last = state.history[state.history.length - 1];
  if (state.wait >= settings.patience)
    return {
      reason: "early-stopping",
      message: `validation loss did not improve by more than ${settings.minDelta} for ${settings.patience} epochs after epoch ${state.bestEpoch}`,
    };
  if (last && !Number.isFinite(last.valLoss))
    return {
      reason: "non-finite-loss",
      message: `the validation loss became ${last.valLoss} in epoch ${last.epoch}`,
    };
  return undefined;
}
