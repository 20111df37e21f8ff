import { describe, expect, it } from "vitest";
import type { SampleSet } from "../../src/data/samples.js";
import { evaluateSamples } from "../../src/evaluate/evaluate.js";
import type { LabelPredictor } from "../../src/evaluate/evaluate.js";

// Two 1 × 8 samples. Truth: A (the smaller, 2 px + overlap), B (4 px + overlap).
const TRUTH = [0, 1, 1, 3, 2, 2, 2, 2];
// Sample 0 predicted with the names swapped as wholes; sample 1 right but for one B pixel called A.
const PREDICTED = [
  [0, 2, 2, 3, 1, 1, 1, 1],
  [0, 1, 1, 3, 2, 2, 2, 1],
];
const set: SampleSet = {
  count: 2,
  height: 1,
  width: 8,
  grey: new Uint8Array(16),
  labels: Uint8Array.from([...TRUTH, ...TRUTH]),
};
const predict: LabelPredictor = async () => Uint8Array.from(PREDICTED.flat());

describe("evaluateSamples", () => {
  it("measures the network's naming, naming by area and the per-image oracle", async () => {
    const { evaluation, predicted } = await evaluateSamples(set, Uint32Array.from([0, 1]), predict);
    const { network, area, oracle } = evaluation.namings;
    // network: A right on 2 of sample 1's pixels, wrong on sample 0's 2 and 4 and sample 1's 1.
    expect(network.chromosomeA).toBeCloseTo(2 / (4 + 4 + 1), 6);
    // area renames sample 0 (its A, 4 px + overlap, is the larger); sample 1 stays as it is.
    expect(area.chromosomeA).toBeCloseTo(4 / 5, 6);
    expect(area.chromosomeB).toBeCloseTo(7 / 8, 6);
    expect(oracle).toEqual(area);
    expect(evaluation.naming).toBe("network");
    expect(evaluation.iou).toEqual(network);
    expect([...predicted]).toEqual(PREDICTED.flat());
  });

  it("uses the area naming for its headline figures and pictures when the model names by area", async () => {
    const { evaluation, predicted } = await evaluateSamples(
      set,
      Uint32Array.from([0, 1]),
      predict,
      {
        naming: "area",
      },
    );
    expect(evaluation.iou).toEqual(evaluation.namings.area);
    expect([...predicted.subarray(0, 8)]).toEqual(TRUTH);
  });

  it("tells naming errors from separation errors: the oracle cannot fix a chromosome split between names", async () => {
    // B's first half called A: no renaming of the whole image makes it right.
    const split: LabelPredictor = async () => Uint8Array.from([0, 1, 1, 3, 1, 1, 2, 2]);
    const one = { ...set, count: 1, labels: Uint8Array.from(TRUTH) };
    const { evaluation } = await evaluateSamples(one, Uint32Array.from([0]), split);
    expect(evaluation.namings.oracle.chromosomeB).toBeCloseTo(2 / 4, 6);
  });
});
