import { existsSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import type { LoadedDataset } from "../../src/data/hdf5.js";
import { emptyCleaning } from "../../src/data/label-policy.js";
import { splitDataset } from "../../src/data/splits.js";
import { generateDataset } from "../../src/generate/generate.js";
import { selectBackend } from "../../src/model/backend.js";
import { predictSamples } from "../../src/train/predict.js";
import { buildSegNet } from "../../src/model/segnet.js";
import { loadModel } from "../../src/model/storage.js";
import { assembleBatch } from "../../src/train/batches.js";
import { makeLoss } from "../../src/train/loss.js";
import { Confusion } from "../../src/train/metrics.js";
import { trainingStep } from "../../src/train/step.js";
import { selectLabels } from "../../src/train/epoch.js";
import { train } from "../../src/train/train.js";
import type { TrainConfig } from "../../src/train/train-config.js";
import { REPORT_FILE } from "../../src/train/training-report.js";
import type { EpochRecord } from "../../src/train/training-report.js";
import { DAPI_CROP, temporaryFolder } from "../helpers.js";

const folder = temporaryFolder();
let dataset: LoadedDataset;

const tiny: TrainConfig = {
  preset: "lite",
  model: { filters: [4, 8, 8], convs: [1, 1, 1], dropout: [0, 0, 0], upsampling: "indices" },
  learningRate: 0.01,
  schedule: "constant",
  batchSize: 8,
  maxEpochs: 10,
  patience: 2,
  minDelta: 0,
  loss: "crossentropy",
  permutationInvariant: false,
  augment: true,
  jitter: 0,
  overlapGain: 1,
  split: "kaggle",
  validationFraction: 0.25,
  seed: 1,
};

beforeAll(async () => {
  await selectBackend("wasm");
  const generated = await generateDataset({
    metaphases: [DAPI_CROP],
    preset: "all",
    count: 40,
    angles: 4,
    offsetStep: 6,
    seed: 2,
  });
  dataset = {
    info: {
      file: "generated",
      key: "dataset_1",
      count: 40,
      height: 94,
      width: 93,
      dtype: "uint8",
      attributes: {},
      hasPairIds: true,
    },
    samples: generated.samples,
    storedLabelHistogram: new Float64Array(256),
    cleaning: emptyCleaning(),
  };
});

describe("training", () => {
  it("overfits 8 samples to ≥ 95 % pixel accuracy", async () => {
    const model = buildSegNet(
      {
        filters: [8, 16],
        convs: [1, 1],
        dropout: [0, 0],
        upsampling: "indices",
        // 80 steps: with the default 0.99 the moving statistics would still be 45 % initial values.
        batchNormMomentum: 0.9,
      },
      3,
    );
    model.compile({ optimizer: tf.train.adam(0.02), loss: "categoricalCrossentropy" });
    const indices = [0, 1, 2, 3, 4, 5, 6, 7];
    const batch = assembleBatch(dataset.samples, indices, 96, 96);
    const loss = makeLoss("crossentropy");
    for (let step = 0; step < 80; step++) await trainingStep(model, loss, batch);
    const predicted = await predictSamples(model, dataset.samples, indices, { divisor: 4 });
    const confusion = new Confusion();
    confusion.add(selectLabels(dataset.samples.labels, indices, 94 * 93), predicted.labels);
    expect(confusion.metrics().pixelAccuracy).toBeGreaterThanOrEqual(0.95);
    model.dispose();
  });

  it("stops after `patience` epochs without improvement and restores the best epoch's weights", async () => {
    const out = join(folder, "early");
    // No later epoch can improve on the first by more than minDelta.
    const { report, model } = await train({
      config: { ...tiny, minDelta: 1e9 },
      dataset,
      dataSha256: "test",
      out,
      backend: "wasm",
    });
    expect(report.stopReason).toBe("early-stopping");
    expect(report.history.map((r) => r.epoch)).toEqual([1, 2, 3]);
    expect(report.bestEpoch).toBe(1);

    const split = splitDataset("kaggle", 40, undefined, { validationFraction: 0.25 });
    const valLoss = async (m: tf.LayersModel) =>
      (
        await predictSamples(m, dataset.samples, split.validation, {
          divisor: 8,
          loss: makeLoss("crossentropy"),
        })
      ).loss!;
    const best = report.history[0].valLoss;
    expect(await valLoss(model)).toBeCloseTo(best, 5);
    expect(await valLoss(await loadModel(out))).toBeCloseTo(best, 5);
    expect(await valLoss(await loadModel(join(out, "checkpoint")))).toBeCloseTo(
      report.history[2].valLoss,
      5,
    );
    expect(report.history[2].valLoss).not.toBeCloseTo(best, 5);
    expect(existsSync(join(out, REPORT_FILE))).toBe(true);
    model.dispose();
  });

  it("resumes a run from its checkpoint exactly as if it had not stopped", async () => {
    // The tiny network has no dropout, tfjs's one source of randomness that no seed reaches.
    // No epoch improves by 1e9, so the plateau schedule halves the rate after each from the second.
    const config: TrainConfig = {
      ...tiny,
      permutationInvariant: true,
      schedule: "plateau",
      minDelta: 1e9,
      patience: 3,
    };
    const run = async (out: string, maxEpochs: number, resume = false) => {
      const { report, model } = await train({
        config: { ...config, maxEpochs },
        dataset,
        dataSha256: "test",
        out,
        backend: "wasm",
        resume,
      });
      model.dispose();
      // the last epoch's weights (the model returned holds the best epoch's)
      const last = await loadModel(join(out, "checkpoint"));
      const weights = last.getWeights().map((w) => w.dataSync().slice());
      last.dispose();
      return { report, weights };
    };
    const first = await run(join(folder, "resumed"), 2);
    expect(first.report.stopReason).toBe("max-epochs");
    const resumed = await run(join(folder, "resumed"), 4, true);
    const straight = await run(join(folder, "straight"), 4);
    expect(resumed.report.history.map((r) => r.learningRate)).toEqual([0.01, 0.01, 0.005, 0.0025]);
    const withoutTimes = (r: EpochRecord) => ({ ...r, imagesPerSecond: 0, seconds: 0 });
    expect(resumed.report.history.map(withoutTimes)).toEqual(
      straight.report.history.map(withoutTimes),
    );
    expect(resumed.report.bestEpoch).toBe(straight.report.bestEpoch);
    expect(resumed.weights).toEqual(straight.weights);
  });

  it("refuses to resume a run with other settings than it was trained with", async () => {
    const out = join(folder, "resumed");
    await expect(
      train({
        config: { ...tiny, permutationInvariant: true, loss: "dice", maxEpochs: 5 },
        dataset,
        dataSha256: "test",
        out,
        backend: "wasm",
        resume: true,
      }),
    ).rejects.toThrow(
      /trained with schedule "plateau", minDelta 1000000000, loss "crossentropy"; resume it with the same settings/,
    );
  });

  it("stops on an interrupt after the current batch, keeping what was saved", async () => {
    const abort = new AbortController();
    const out = join(folder, "interrupted");
    const { report, model } = await train({
      config: tiny,
      dataset,
      dataSha256: "test",
      out,
      backend: "wasm",
      signal: abort.signal,
      onEpoch: (record) => record.epoch === 1 && abort.abort(),
    });
    model.dispose();
    expect(report.stopReason).toBe("interrupted");
    expect(report.history).toHaveLength(1);
    expect(existsSync(join(out, "model.json"))).toBe(true);
  });
});
