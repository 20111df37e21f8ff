import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { writeDataset } from "../../src/data/hdf5.js";
import { allocateSamples } from "../../src/data/samples.js";
import {
  defaultEvaluationFolder,
  evaluateModel,
  evaluationName,
  loadPredictor,
} from "../../src/evaluate/evaluate-model.js";
import type { EvaluateModelResult } from "../../src/evaluate/evaluate-model.js";
import { segnetFromOnnx } from "../../src/export/onnx-to-layers.js";
import { saveModel } from "../../src/model/storage.js";
import { parseMetadata } from "../../src/onnx/metadata.js";
import { readMetadataProps } from "../../src/onnx/onnx-graph.js";
import { LITE_MODEL, REPLICA_SAMPLE, REPLICA_SAMPLE_LABELS, temporaryFolder } from "../helpers.js";

const folder = temporaryFolder();
const data = join(folder, "replica.h5");
let onnx: EvaluateModelResult;

/** The replica sample as it is, turned 180° and mirrored left to right: 3 samples of 94 × 93. */
beforeAll(async () => {
  const read = (file: string) => sharp(file).extractChannel(0).raw().toBuffer();
  const [grey, labels] = [await read(REPLICA_SAMPLE), await read(REPLICA_SAMPLE_LABELS)];
  const [height, width] = [94, 93];
  const set = allocateSamples(3, height, width);
  const px = height * width;
  for (const [plane, into] of [
    [grey, set.grey],
    [labels, set.labels],
  ] as const) {
    into.set(plane);
    into.set(Uint8Array.from(plane).reverse(), px);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++)
        into[2 * px + y * width + x] = plane[y * width + (width - 1 - x)];
  }
  await writeDataset(data, set);
  onnx = await evaluateModel({
    model: LITE_MODEL,
    data,
    split: "all",
    out: join(folder, "onnx"),
  });
});

describe("evaluateModel", () => {
  it("measures an ONNX model on the split's test samples and writes the figures and pictures", async () => {
    const { evaluation, files } = onnx;
    expect(evaluation).toMatchObject({
      model: LITE_MODEL,
      data,
      split: "all",
      tta: false,
      overlapGain: 1,
      samples: 3,
      // the fixture names its chromosomes itself, as its metadata says
      naming: "network",
    });
    // the lite model separates the replica sample well, whichever way it is turned
    expect(evaluation.meanIoU).toBeGreaterThan(0.6);
    expect(evaluation.worst.map((w) => w.sample).sort()).toEqual([0, 1, 2]);
    expect(files).toEqual({
      json: join(folder, "onnx", "evaluation-all-onnx.json"),
      worst: join(folder, "onnx", "worst-all-onnx.png"),
      samples: join(folder, "onnx", "samples-all-onnx.png"),
    });
    expect(JSON.parse(readFileSync(files.json, "utf8"))).toEqual(evaluation);
    for (const picture of [files.worst, files.samples]) {
      expect((await sharp(picture).metadata()).format).toBe("png");
    }
  });

  it("says what runs the model and how far it got", async () => {
    const summaries: string[] = [];
    const stages = new Set<string>();
    const { evaluation, files } = await evaluateModel({
      model: LITE_MODEL,
      data,
      split: "all",
      out: join(folder, "dimmed"),
      tta: true,
      overlapGain: 0.7,
      onModel: (summary) => summaries.push(summary),
      onProgress: (stage, done, total) => {
        expect(done).toBeLessThanOrEqual(total);
        stages.add(stage);
      },
    });
    expect(summaries).toEqual([
      expect.stringMatching(/^onnxruntime-node \S+, \d+ threads, test-time augmentation$/),
    ]);
    expect([...stages]).toEqual(["read", "evaluate"]);
    expect(evaluation).toMatchObject({ tta: true, overlapGain: 0.7, samples: 3 });
    expect(files.json).toBe(join(folder, "dimmed", "evaluation-all-onnx-tta-gain0.7.json"));
  });

  it("runs a tfjs model as its ONNX export runs", async () => {
    const bytes = await readFile(LITE_MODEL);
    const tfjsFolder = join(folder, "lite");
    const model = segnetFromOnnx(bytes, parseMetadata(readMetadataProps(bytes)), LITE_MODEL);
    await saveModel(model, tfjsFolder);
    model.dispose();
    const summaries: string[] = [];
    const { evaluation, files } = await evaluateModel({
      model: tfjsFolder,
      data,
      split: "all",
      out: join(folder, "tfjs"),
      backend: "wasm",
      threads: 1,
      onModel: (summary) => summaries.push(summary),
    });
    expect(summaries).toEqual([expect.stringMatching(/^backend: wasm /)]);
    // without a training report the network's own naming counts
    expect(evaluation.naming).toBe("network");
    for (const naming of ["network", "area", "oracle"] as const) {
      for (const [name, iou] of Object.entries(evaluation.namings[naming])) {
        expect(iou).toBeCloseTo(onnx.evaluation.namings[naming][name as "overlap"], 3);
      }
    }
    expect(files.json).toBe(join(folder, "tfjs", "evaluation-all.json"));
  });

  it("refuses test-time augmentation for a tfjs model", async () => {
    await expect(loadPredictor(join(folder, "lite"), { tta: true })).rejects.toThrow(
      "--tta needs an ONNX model (chromoseg export)",
    );
  });
});

describe("evaluationName", () => {
  it("names the split, then ONNX, test-time augmentation and the overlap gain", () => {
    expect(evaluationName("runs/lite", "kaggle")).toBe("kaggle");
    expect(evaluationName("runs/lite/model.ONNX", "grouped", { tta: true })).toBe(
      "grouped-onnx-tta",
    );
    expect(evaluationName("a.onnx", "all", { overlapGain: 0.7 })).toBe("all-onnx-gain0.7");
  });
});

describe("defaultEvaluationFolder", () => {
  it("is out/evaluate/<the model's name>: its file's, or its folder's for a folder or model.*", async () => {
    const run = join(folder, "runs", "tiny");
    mkdirSync(run, { recursive: true });
    writeFileSync(join(run, "model.json"), "{}");
    expect(await defaultEvaluationFolder(run)).toBe(join("out", "evaluate", "tiny"));
    expect(await defaultEvaluationFolder(join(run, "model.json"))).toBe(
      join("out", "evaluate", "tiny"),
    );
    expect(await defaultEvaluationFolder(join(run, "model.onnx"))).toBe(
      join("out", "evaluate", "tiny"),
    );
    expect(await defaultEvaluationFolder(join(folder, "models", "default.onnx"))).toBe(
      join("out", "evaluate", "default"),
    );
  });
});
