import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { exportToOnnx } from "../../src/export/export.js";
import {
  MAX_ABS_DIFFERENCE,
  MIN_ARGMAX_AGREEMENT,
  NOISE_MAX_ABS_DIFFERENCE,
} from "../../src/export/parity.js";
import { readGreyImage } from "../../src/image/grey-image.js";
import type { GreyImage } from "../../src/image/grey-image.js";
import { OnnxModel } from "../../src/onnx/onnx-model.js";
import { selectBackend } from "../../src/model/backend.js";
import { SEGNET_PRESETS } from "../../src/model/config.js";
import type { PresetName, Upsampling } from "../../src/model/config.js";
import { buildSegNet } from "../../src/model/segnet.js";
import { DAPI_CROP, randomizeBatchNorms } from "../helpers.js";

let parityImage: GreyImage;

beforeAll(async () => {
  await selectBackend("wasm");
  parityImage = (await readGreyImage(DAPI_CROP)).image;
});

describe("ONNX export", () => {
  const cases: [PresetName, Upsampling][] = [
    ["lite", "indices"],
    ["lite", "nearest"],
    ["seed", "indices"],
    ["seed", "nearest"],
  ];
  for (const [preset, upsampling] of cases) {
    it(`reproduces tfjs for ${preset} with ${upsampling} upsampling, 96 × 96 and 152 × 200`, async () => {
      const model = buildSegNet({ ...SEGNET_PRESETS[preset], upsampling });
      randomizeBatchNorms(model, 7);
      const { metadata } = await exportToOnnx({ model, report: null, parityImage });
      const { parity } = metadata;
      expect(parity.inputs).toEqual([
        "4 random crops, 94 × 93 padded to 96 × 96",
        "8 real crops, 94 × 93 padded to 96 × 96",
        "1 real crop, 152 × 200",
      ]);
      expect(parity.pixels).toBe(12 * 96 * 96 + 152 * 200);
      expect(parity.maxAbsDifference).toBeLessThanOrEqual(MAX_ABS_DIFFERENCE);
      expect(parity.noiseMaxAbsDifference).toBeLessThanOrEqual(NOISE_MAX_ABS_DIFFERENCE);
      expect(parity.argmaxAgreement).toBeGreaterThanOrEqual(MIN_ARGMAX_AGREEMENT);
      model.dispose();
    }, 120_000);
  }

  it("writes a model onnxruntime loads, with metadata that reads back as written", async () => {
    const model = buildSegNet(SEGNET_PRESETS.lite);
    const { bytes, metadata } = await exportToOnnx({ model, report: null, parityImage });
    const loaded = await OnnxModel.fromBytes(bytes, "lite.onnx", { threads: 1 });
    expect(loaded.metadata).toEqual(metadata);
    expect(metadata.classes.names).toEqual(["background", "chromosomeA", "chromosomeB", "overlap"]);
    expect(metadata.input).toMatchObject({ layout: "NHWC", channels: 1, sizeDivisor: 8 });
    expect(metadata.network.parameters).toBe(model.countParams());
    const probabilities = await loaded.probabilities(new Float32Array(2 * 16 * 24), 2, 16, 24);
    expect(probabilities.length).toBe(2 * 16 * 24 * 4);
    expect(probabilities[0] + probabilities[1] + probabilities[2] + probabilities[3]).toBeCloseTo(
      1,
      5,
    );
    await loaded.release();
  });

  it("says who names chromosomes A and B: the network without a report, area when told", async () => {
    const input = tf.input({ shape: [null, null, 1] });
    const logits = tf.layers.conv2d({ filters: 4, kernelSize: 1 }).apply(input);
    const softmax = tf.layers.activation({ activation: "softmax" }).apply(logits);
    const model = tf.model({ inputs: input, outputs: softmax as tf.SymbolicTensor });
    const unsaid = await exportToOnnx({ model, report: null, parityImage });
    const told = await exportToOnnx({ model, report: null, parityImage, naming: "area" });
    expect(unsaid.metadata.network.chromosomeNaming).toBe("network");
    expect(told.metadata.network.chromosomeNaming).toBe("area");
  });

  it("names a layer it cannot export", async () => {
    const input = tf.input({ shape: [null, null, 1] });
    const conv = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: "same" }).apply(input);
    const leaky = tf.layers.leakyReLU({ name: "leaky" }).apply(conv) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: leaky });
    await expect(exportToOnnx({ model, report: null, parityImage })).rejects.toThrow(
      /cannot export layer "leaky" \(LeakyReLU\)/,
    );
  });
});
