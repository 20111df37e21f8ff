import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../src/model/backend.js";
import { oneHotLabels } from "../../src/train/predict.js";
import { LOSS_KINDS, makeLoss } from "../../src/train/loss.js";

beforeAll(async () => {
  await selectBackend("cpu");
});

/** One 2 × 2 image: background, A, B, overlap. */
const LABELS = Uint8Array.from([0, 1, 2, 3]);
const SWAPPED = Uint8Array.from([0, 2, 1, 3]);

/** Probabilities that favour `labels` (0.7 on the label, 0.1 elsewhere). */
function confident(labels: Uint8Array): tf.Tensor4D {
  const values = new Float32Array(labels.length * 4).fill(0.1);
  labels.forEach((label, p) => (values[p * 4 + label] = 0.7));
  return tf.tensor4d(values, [1, 2, 2, 4]);
}

function lossOf(
  kind: (typeof LOSS_KINDS)[number],
  permutationInvariant: boolean,
  labels: Uint8Array,
  predicted: Uint8Array,
): number {
  const target = oneHotLabels(labels, 1, 2, 2);
  return makeLoss(kind, { permutationInvariant })(target, confident(predicted)).dataSync()[0];
}

describe("losses", () => {
  it("cross-entropy of a known prediction is −log of the probability on the true class", () => {
    expect(lossOf("crossentropy", false, LABELS, LABELS)).toBeCloseTo(-Math.log(0.7), 5);
    expect(lossOf("crossentropy", false, LABELS, SWAPPED)).toBeCloseTo(
      -(2 * Math.log(0.7) + 2 * Math.log(0.1)) / 4,
      5,
    );
  });

  for (const kind of LOSS_KINDS) {
    it(`${kind}, permutation-invariant: a prediction with A and B swapped costs what the right one does`, () => {
      const right = lossOf(kind, true, LABELS, LABELS);
      expect(lossOf(kind, true, LABELS, SWAPPED)).toBeCloseTo(right, 5);
      expect(lossOf(kind, false, LABELS, SWAPPED)).toBeGreaterThan(right + 0.1);
    });
  }

  it("permutation-invariant takes the better naming per image, not per batch", () => {
    const target = oneHotLabels(Uint8Array.from([...LABELS, ...LABELS]), 2, 2, 2);
    const predicted = tf.concat([confident(LABELS), confident(SWAPPED)]);
    const loss = makeLoss("crossentropy", { permutationInvariant: true })(target, predicted);
    expect(loss.dataSync()[0]).toBeCloseTo(-Math.log(0.7), 5);
  });
});
