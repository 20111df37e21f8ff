import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { allocateSamples } from "../../src/data/samples.js";
import { selectBackend } from "../../src/model/backend.js";
import { cropPlanes, padPlanes, padUp } from "../../src/model/input.js";
import { PRESET_NAMES, SEGNET_PRESETS, segnetMultiplyAdds } from "../../src/model/config.js";
import { buildSegNet } from "../../src/model/segnet.js";
import { loadModel, saveModel } from "../../src/model/storage.js";
import { MaxUnpooling2D, SWITCH_TOLERANCE, maxUnpool } from "../../src/model/unpool.js";
import type { MaxUnpooling2DArgs } from "../../src/model/unpool.js";
import { assembleBatch } from "../../src/train/batches.js";
import { temporaryFolder } from "../helpers.js";

const folder = temporaryFolder();

beforeAll(async () => {
  await selectBackend("wasm");
});

describe("SegNet", () => {
  it("is fully convolutional: any size dividing by 2^depth in, 4 probabilities per pixel out", () => {
    const model = buildSegNet({
      filters: [4, 8],
      convs: [1, 2],
      dropout: [0.1, 0.2],
      upsampling: "indices",
    });
    for (const [h, w] of [
      [96, 96],
      [200, 152],
    ]) {
      const out = model.predict(tf.zeros([1, h, w, 1])) as tf.Tensor;
      expect(out.shape).toEqual([1, h, w, 4]);
      expect(tf.sum(out, -1).sub(1).abs().max().dataSync()[0]).toBeLessThan(1e-5);
    }
    model.dispose();
  });

  it("saves and loads both upsampling modes, the indices layer included, with the same predictions", async () => {
    for (const upsampling of ["indices", "nearest"] as const) {
      const model = buildSegNet({ filters: [4, 8], convs: [1, 1], dropout: [0, 0], upsampling });
      const dir = `${folder}/${upsampling}`;
      await saveModel(model, dir);
      const loaded = await loadModel(dir);
      const input = tf.randomUniform([2, 16, 24, 1]);
      const difference = tf
        .sub(model.predict(input) as tf.Tensor, loaded.predict(input) as tf.Tensor)
        .abs()
        .max();
      expect(difference.dataSync()[0]).toBe(0);
      expect(loaded.layers.map((l) => l.getClassName())).toContain(
        upsampling === "indices" ? "MaxUnpooling2D" : "UpSampling2D",
      );
    }
  });

  it("names a folder without a model", async () => {
    await expect(loadModel(folder)).rejects.toThrow(/model\.json: no such file/);
  });
});

describe("max unpooling", () => {
  it("puts each value where its window's maximum was, and sends the gradient back through those positions", () => {
    const x = tf.tensor4d([1, 5, 0, 2, 3, 4, 9, 1, 0, 0, 1, 0, 7, 0, 0, 2], [1, 4, 4, 1]);
    const y = tf.tensor4d([10, 20, 30, 40], [1, 2, 2, 1]);
    expect(Array.from(maxUnpool(y, x, 0).dataSync())).toEqual([
      0, 10, 0, 0, 0, 0, 20, 0, 0, 0, 0, 0, 30, 0, 0, 40,
    ]);
    const dy = tf.tensor4d(
      Array.from({ length: 16 }, (_, i) => i),
      [1, 4, 4, 1],
    );
    const [gy] = tf.grads((a: tf.Tensor) => tf.sum(tf.mul(maxUnpool(a as tf.Tensor4D, x, 0), dy)))([
      y,
    ]);
    expect(Array.from(gy.dataSync())).toEqual([1, 6, 12, 15]);
  });

  it("shares a value between near ties in proportion to their closeness (the switches' ramp)", () => {
    const near = 1 - SWITCH_TOLERANCE / 4;
    const x = tf.tensor4d([1, near, 0.5, 1 - 2 * SWITCH_TOLERANCE], [1, 2, 2, 1]);
    const y = tf.tensor4d([8], [1, 1, 1, 1]);
    const out = Array.from(maxUnpool(y, x, SWITCH_TOLERANCE).dataSync());
    expect(out[0]).toBe(8);
    expect(out[1]).toBeCloseTo(6, 4);
    expect(out.slice(2)).toEqual([0, 0]);
  });

  it("keeps its switches' width through save and load; a layer saved without one has hard switches", () => {
    const layer = new MaxUnpooling2D({ name: "u", tolerance: 0.25 });
    const config = layer.getConfig();
    expect(config.tolerance).toBe(0.25);
    expect(new MaxUnpooling2D(config as MaxUnpooling2DArgs).tolerance).toBe(0.25);
    const older = { ...config };
    delete older.tolerance;
    expect(new MaxUnpooling2D(older as MaxUnpooling2DArgs).tolerance).toBe(0);
  });
});

describe("padding", () => {
  it("keeps every label pixel in place: pad 94 × 93 to 96 × 96 and crop back", () => {
    const [h, w] = [94, 93];
    const side = padUp(94, 8);
    expect(side).toBe(96);
    const labels = Uint8Array.from({ length: 3 * h * w }, (_, i) => (i * 7919) % 4);
    const padded = padPlanes(labels, 3, h, w, side, side, new Uint8Array(3 * side * side));
    expect(padded[side * 95 + 95]).toBe(0);
    expect(cropPlanes(padded, 3, side, side, h, w)).toEqual(labels);
  });

  it("batches pad the input with zeros and the labels with background", () => {
    const set = allocateSamples(1, 3, 2);
    set.grey.set([255, 51, 0, 0, 102, 0]);
    set.labels.set([2, 1, 0, 0, 3, 0]);
    const batch = assembleBatch(set, [0], 4, 4);
    expect(Array.from(batch.labels)).toEqual([2, 1, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0]);
    expect(batch.input.slice(0, 2)).toEqual(Float32Array.from([1, 0.2]));
  });
});

describe("multiply-adds", () => {
  it("equal each convolution's weights times the pixels at its block's resolution", () => {
    for (const preset of PRESET_NAMES) {
      const config = SEGNET_PRESETS[preset];
      const model = buildSegNet(config);
      const [height, width] = [96, 64];
      const expected = model.layers
        .filter((l) => l.getClassName() === "Conv2D")
        .reduce((sum, l) => {
          const block = Number(/^(?:en|de)coder(\d)/.exec(l.name)?.[1] ?? 0);
          return sum + l.getWeights()[0].size * (height / 2 ** block) * (width / 2 ** block);
        }, 0);
      expect(segnetMultiplyAdds(config, height, width)).toBe(expected);
      model.dispose();
    }
  });
});
