import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { NUM_CLASSES } from "../../src/classes.js";
import { chromosomeAreas, swapChromosomeLabels } from "../../src/data/name-by-area.js";
import { exportToOnnx } from "../../src/export/export.js";
import { readGreyImage } from "../../src/image/grey-image.js";
import type { GreyImage } from "../../src/image/grey-image.js";
import { addView, segmentCrops } from "../../src/infer/segment-crops.js";
import type { View } from "../../src/infer/segment-crops.js";
import { selectBackend } from "../../src/model/backend.js";
import { labelsOf } from "../../src/model/probabilities.js";
import { chromosomeNaming } from "../../src/onnx/metadata.js";
import { OnnxModel } from "../../src/onnx/onnx-model.js";
import { DAPI_CROP, LITE_MODEL, REPLICA_SAMPLE } from "../helpers.js";

let model: OnnxModel;
let dapi: GreyImage;

beforeAll(async () => {
  model = await OnnxModel.load(LITE_MODEL, { threads: 1 });
  dapi = (await readGreyImage(DAPI_CROP)).image;
});

/** One row: background, a chromosome of 1 pixel, one of 3 pixels, background. */
const WIDTH = 6;
const view: View = {
  crop: 0,
  image: { width: WIDTH, height: 1, data: new Uint8Array(WIDTH) },
  source: null,
};
const BACKGROUND = [0.9, 0.05, 0.05, 0];
const FIRST = [0.05, 0.9, 0.05, 0];
const SECOND = [0.05, 0.05, 0.9, 0];

function probabilities(small: number[], large: number[]): Float32Array {
  return Float32Array.from([BACKGROUND, small, large, large, large, BACKGROUND].flat());
}

/** The labels of the two views' sum: the first names the small chromosome A, the second B. */
function sumOfTwoViews(byArea: boolean): Uint8Array {
  const sum = new Float32Array(WIDTH * NUM_CLASSES);
  const at = { offset: 0, rowStride: WIDTH };
  addView(sum, view, probabilities(FIRST, SECOND), at, byArea);
  addView(sum, view, probabilities(SECOND, FIRST), at, byArea);
  return labelsOf(sum);
}

describe("test-time augmentation's sum of views", () => {
  it("names each view by area before adding it, so that views naming the pair differently keep the two chromosomes apart", () => {
    expect([...sumOfTwoViews(true)]).toEqual([0, 1, 2, 2, 2, 0]);
  });

  it("blurs the two chromosomes into one when the views are added as named by the network", () => {
    const labels = sumOfTwoViews(false);
    expect(new Set(labels.slice(1, 5)).size).toBe(1);
  });
});

describe("naming", () => {
  it("names the chromosomes by area when asked, so that A is the smaller", async () => {
    const sample = (await readGreyImage(REPLICA_SAMPLE)).image;
    expect(chromosomeNaming(model.metadata)).toBe("network");
    const [own] = await segmentCrops(model, [sample]);
    const [named] = await segmentCrops(model, [sample], { naming: "area" });
    const { a, b } = chromosomeAreas(named);
    expect(a).toBeLessThanOrEqual(b);
    expect(a).toBeGreaterThan(0);
    const swapped = own.slice();
    swapChromosomeLabels(swapped);
    expect([own, swapped]).toContainEqual(named);
  });
});

describe("test-time augmentation", () => {
  it("maps each view back to its pixels: with a per-pixel model, TTA equals the plain labels", async () => {
    await selectBackend("wasm");
    const input = tf.input({ shape: [null, null, 1] });
    const logits = tf.layers.conv2d({ filters: 4, kernelSize: 1 }).apply(input);
    const softmax = tf.layers.activation({ activation: "softmax" }).apply(logits);
    const pointwise = tf.model({ inputs: input, outputs: softmax as tf.SymbolicTensor });
    pointwise.layers[1].setWeights([
      tf.tensor4d([8, -3, 2, -6], [1, 1, 1, 4]),
      tf.tensor1d([-1, 0.5, -0.2, 2]),
    ]);
    const { bytes } = await exportToOnnx({ model: pointwise, report: null, parityImage: dapi });
    const perPixel = await OnnxModel.fromBytes(bytes, "pointwise.onnx", { threads: 1 });
    const [plain] = await segmentCrops(perPixel, [dapi]);
    const [augmented] = await segmentCrops(perPixel, [dapi], { tta: true });
    expect(new Set(plain).size).toBeGreaterThan(1);
    expect(augmented).toEqual(plain);
  });
});
