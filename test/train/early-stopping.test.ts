import { describe, expect, it } from "vitest";
import { freshState, recordEpoch, stopAfterEpoch } from "../../src/train/early-stopping.js";
import type { EpochRecord } from "../../src/train/training-report.js";

function epoch(n: number, valLoss: number): EpochRecord {
  return {
    epoch: n,
    learningRate: 0.01,
    loss: 1,
    valLoss,
    valPixelAccuracy: 0,
    valIoU: { background: 0, chromosomeA: 0, chromosomeB: 0, overlap: 0 },
    valMeanIoU: 0,
    imagesPerSecond: 1,
    seconds: 1,
  };
}

describe("early stopping", () => {
  it("counts an epoch as better only by more than minDelta, the first always", () => {
    const state = freshState();
    expect(recordEpoch(state, epoch(1, 1.0), 0.1)).toBe(true);
    expect(recordEpoch(state, epoch(2, 0.95), 0.1)).toBe(false); // better, but not by > 0.1
    expect(recordEpoch(state, epoch(3, 0.85), 0.1)).toBe(true);
    expect(state).toMatchObject({ epoch: 3, bestEpoch: 3, bestValLoss: 0.85, wait: 0 });
    expect(state.history.map((r) => r.epoch)).toEqual([1, 2, 3]);
  });

  it("stops after `patience` epochs without improvement, naming the best epoch", () => {
    const state = freshState();
    const settings = { minDelta: 0, patience: 2 };
    recordEpoch(state, epoch(1, 1), 0);
    expect(stopAfterEpoch(state, settings)).toBeUndefined();
    recordEpoch(state, epoch(2, 1), 0);
    expect(state.wait).toBe(1);
    expect(stopAfterEpoch(state, settings)).toBeUndefined();
    recordEpoch(state, epoch(3, 2), 0);
    expect(stopAfterEpoch(state, settings)).toEqual({
      reason: "early-stopping",
      message: "validation loss did not improve by more than 0 for 2 epochs after epoch 1",
    });
  });

  it("stops on a validation loss that is not a number, which never counts as better", () => {
    const state = freshState();
    recordEpoch(state, epoch(1, 1), 0);
    expect(recordEpoch(state, epoch(2, Number.NaN), 0)).toBe(false);
    expect(state.bestEpoch).toBe(1);
    expect(stopAfterEpoch(state, { minDelta: 0, patience: 5 })).toEqual({
      reason: "non-finite-loss",
      message: "the validation loss became NaN in epoch 2",
    });
  });
});
