/**
 * The fast wasm kernels against the cpu backend (or, where the cpu backend is wrong or breaks
 * ties differently, against a direct computation or the stock wasm kernel).
 *
 * Error measure: max |wasm − reference| / max |reference| over all elements, at most 1e-4.
 * Each computation runs on one backend at a time: tensors are created on the active backend and
 * read back (dataSync) before switching.
 */
import * as tf from "@tensorflow/tfjs";
import { getThreadsCount } from "@tensorflow/tfjs-backend-wasm";
import { beforeAll, describe, expect, it } from "vitest";
import { registerFastWasmKernels } from "../../src/model/wasm-kernels.js";
import { configureWasmThreads } from "../../src/model/wasm-threads.js";

const TOLERANCE = 1e-4;

beforeAll(async () => {
  // As the project runs it (see selectBackend): XNNPACK on two threads, whatever the machine.
  configureWasmThreads(2);
  registerFastWasmKernels();
  tf.env().set("PROD", true); // no advice to install tfjs-node from the cpu backend
  await tf.setBackend("wasm");
});

type Shape3 = [number, number, number];
type Shape4 = [number, number, number, number];

/** Deterministic values in [-1, 1) (a linear congruential generator), distinct with high odds. */
function values(size: number, seed: number): Float32Array {
  let state = seed;
  return Float32Array.from({ length: size }, () => {
    state = (state * 1664525 + 1013904223) % 4294967296;
    return state / 2147483648 - 1;
  });
}

function sizeOf(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Runs `compute` on `backend` and returns copies of its results. */
async function on(backend: string, compute: () => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  await tf.ready();
  return tf.tidy(compute).map((t) => {
    const data = Float32Array.from(t.dataSync());
    t.dispose();
    return data;
  });
}

function relativeError(actual: Float32Array, expected: Float32Array): number {
  expect(actual.length).toBe(expected.length);
  let maxDiff = 0;
  let maxRef = 0;
  for (let i = 0; i < expected.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
    maxRef = Math.max(maxRef, Math.abs(expected[i]));
  }
  return maxDiff / maxRef;
}

/** The same computation on cpu and on wasm: each result within TOLERANCE of cpu's. */
async function expectWasmMatchesCpu(compute: () => tf.Tensor[]): Promise<number[]> {
  const expected = await on("cpu", compute);
  const actual = await on("wasm", compute);
  const errors = actual.map((a, i) => relativeError(a, expected[i]));
  for (const error of errors) expect(error).toBeLessThanOrEqual(TOLERANCE);
  return errors;
}

describe("Conv2DBackpropInput and Conv2DBackpropFilter on wasm", () => {
  const cases: { x: Shape4; filter: Shape4; strides: number; pad: "same" | "valid" | number }[] = [
    { x: [2, 7, 9, 3], filter: [3, 3, 3, 5], strides: 1, pad: "same" },
    { x: [2, 7, 9, 3], filter: [3, 3, 3, 5], strides: 2, pad: "same" },
    { x: [2, 7, 9, 3], filter: [3, 3, 3, 5], strides: 1, pad: "valid" },
    { x: [2, 7, 9, 3], filter: [3, 3, 3, 5], strides: 2, pad: "valid" },
    { x: [2, 8, 8, 3], filter: [3, 3, 3, 5], strides: 2, pad: "same" },
    { x: [2, 7, 9, 3], filter: [1, 1, 3, 5], strides: 1, pad: "same" },
    { x: [2, 7, 9, 3], filter: [1, 1, 3, 5], strides: 2, pad: "valid" },
    { x: [2, 8, 10, 3], filter: [2, 2, 3, 5], strides: 2, pad: "valid" },
    { x: [2, 7, 9, 3], filter: [2, 2, 3, 5], strides: 2, pad: "same" },
    { x: [2, 7, 9, 3], filter: [3, 3, 3, 5], strides: 1, pad: 2 },
    // Padding larger than the filter: the input gradient crops dy instead of padding it.
    { x: [2, 7, 9, 3], filter: [3, 3, 3, 5], strides: 2, pad: 3 },
    { x: [4, 12, 12, 16], filter: [3, 3, 16, 8], strides: 1, pad: "same" },
  ];

  for (const { x: xShape, filter: filterShape, strides, pad } of cases) {
    const name = `x ${xShape.join("×")}, filter ${filterShape.join("×")}, stride ${strides}, pad ${pad}`;
    it(`match cpu's gradients: ${name}`, async () => {
      const xValues = values(sizeOf(xShape), 1);
      const filterValues = values(sizeOf(filterShape), 2);
      const [dx, dFilter] = await expectWasmMatchesCpu(() => {
        const x = tf.tensor4d(xValues, xShape);
        const filter = tf.tensor4d(filterValues, filterShape);
        const y = tf.conv2d(x, filter, strides, pad);
        // Weight the output so that dy is not uniform.
        const weights = tf.tensor(values(y.size, 3), y.shape);
        const loss = (a: tf.Tensor4D, b: tf.Tensor4D) =>
          tf.sum(tf.mul(tf.conv2d(a, b, strides, pad), weights));
        return tf.grads(loss as (...args: tf.Tensor[]) => tf.Tensor)([x, filter]);
      });
      expect(dx + dFilter).toBeLessThan(TOLERANCE);
    });
  }

  it("refuses NCHW and dilations with a clear error", async () => {
    await tf.setBackend("wasm");
    const dy = tf.zeros([1, 4, 4, 2]);
    const x = tf.zeros([1, 4, 4, 2]);
    const filter = tf.zeros([3, 3, 2, 2]);
    const attrs = { strides: 1, pad: "same", dataFormat: "NCHW", filterShape: [3, 3, 2, 2] };
    expect(() => tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, attrs)).toThrow(
      /NHWC only/,
    );
    const inputAttrs = { strides: 1, pad: "same", dataFormat: "NHWC", dilations: 2 };
    expect(() =>
      tf
        .engine()
        .runKernel(
          tf.Conv2DBackpropInput,
          { dy, filter },
          { ...inputAttrs, inputShape: [1, 4, 4, 2] },
        ),
    ).toThrow(/dilations 1 only/);
    tf.dispose([dy, x, filter]);
  });
});

describe("reductions, broadcasts and copies on wasm", () => {
  const shape: Shape4 = [2, 5, 6, 3];
  const xValues = values(sizeOf(shape), 4);

  it("Sum and Mean over leading axes (and others) match cpu", async () => {
    await expectWasmMatchesCpu(() => {
      const x = tf.tensor4d(xValues, shape);
      return [
        tf.sum(x, [0, 1, 2]),
        tf.sum(x, [0, 1], true),
        tf.sum(x, 0),
        tf.sum(x, [1, 2]),
        tf.sum(x),
        tf.mean(x, [0, 1, 2]),
        tf.mean(x, [0, 1, 2], true),
        tf.mean(x, [2, 1, 0]),
        tf.mean(x, -1),
      ];
    });
  });

  it("the Sum and Mean gradients match cpu", async () => {
    await expectWasmMatchesCpu(() => {
      const x = tf.tensor4d(xValues, shape);
      const channelWeights = tf.tensor1d([1, -2, 3]);
      return [
        tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.mean(a, [0, 1, 2]), channelWeights)))(x),
        tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.sum(a, [0, 1, 2]), channelWeights)))(x),
        tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.sum(a, -1), 2)))(x),
      ];
    });
  });

  it("Tile (broadcasting and repeating), Identity and Cast match cpu", async () => {
    await expectWasmMatchesCpu(() => {
      const x = tf.tensor4d(xValues, shape);
      const perChannel = tf.tensor4d([1, -2, 3], [1, 1, 1, 3]);
      return [
        tf.tile(perChannel, [2, 5, 6, 1]),
        tf.tile(x, [1, 2, 1, 3]),
        tf.clone(x),
        tf.cast(x, "float32"),
        tf.cast(tf.cast(tf.mul(x, 10), "int32"), "float32"),
      ];
    });
  });

  it("a clone shares its data, and disposing either leaves the other intact", async () => {
    await tf.setBackend("wasm");
    const x = tf.tensor1d([1, 2, 3]);
    const copy = tf.clone(x);
    x.dispose();
    expect(Array.from(copy.dataSync())).toEqual([1, 2, 3]);
    copy.dispose();
  });

  it("batch normalisation matches cpu, per channel with or without scale and offset, and not", async () => {
    await expectWasmMatchesCpu(() => {
      const x = tf.tensor4d(xValues, shape);
      const mean = tf.tensor1d([0.3, -0.2, 0.1]);
      const variance = tf.tensor1d([0.5, 2, 0.01]);
      const gamma = tf.tensor1d([0.5, 2, -1]);
      const beta = tf.tensor1d([0.1, 0.2, 0.3]);
      const pixelShape = shape.slice(1) as Shape3;
      const pixelMean = tf.tensor3d(values(sizeOf(pixelShape), 6), pixelShape);
      const pixelVariance = tf.add(
        tf.abs(tf.tensor3d(values(sizeOf(pixelShape), 7), pixelShape)),
        0.1,
      );
      return [
        tf.batchNorm(x, mean, variance, beta, gamma, 1e-3),
        tf.batchNorm(x, mean, variance, undefined, undefined, 1e-3),
        tf.batchNorm(x, pixelMean, pixelVariance as tf.Tensor3D, undefined, undefined, 1e-3),
      ];
    });
  });

  it("the batch-norm gradient (training moments) matches cpu", async () => {
    await expectWasmMatchesCpu(() => {
      const x = tf.tensor4d(xValues, shape).mul(3).add(1);
      const gamma = tf.tensor1d([0.5, 2, -1]);
      const beta = tf.tensor1d([0.1, 0.2, 0.3]);
      const weights = tf.tensor4d(values(sizeOf(shape), 5), shape);
      const loss = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
        const { mean, variance } = tf.moments(a, [0, 1, 2]);
        return tf.sum(tf.mul(tf.batchNorm(a, mean, variance, b, g, 1e-3), weights));
      };
      return tf.grads(loss as (...args: tf.Tensor[]) => tf.Tensor)([x, gamma, beta]);
    });
  });
});

describe("the upsampling gradient on wasm", () => {
  it("ResizeNearestNeighborGrad sums each block of dy, for factors 2 and 3", async () => {
    // tfjs's cpu kernel is wrong beyond the first image of a batch, so the reference is direct.
    const shape: Shape4 = [2, 4, 5, 3];
    for (const factor of [2, 3]) {
      const [n, h, w, c] = shape;
      const dyShape: Shape4 = [n, h * factor, w * factor, c];
      const dyValues = values(sizeOf(dyShape), 10 + factor);
      const expected = new Float32Array(sizeOf(shape));
      for (let i = 0; i < dyValues.length; i++) {
        const channel = i % c;
        const col = Math.floor(i / c) % dyShape[2];
        const row = Math.floor(i / (c * dyShape[2])) % dyShape[1];
        const image = Math.floor(i / (c * dyShape[2] * dyShape[1]));
        const target = ((image * h + Math.floor(row / factor)) * w + Math.floor(col / factor)) * c;
        expected[target + channel] += dyValues[i];
      }
      const [actual] = await on("wasm", () => {
        const images = tf.zeros(shape);
        const dy = tf.tensor4d(dyValues, dyShape);
        const attrs = { alignCorners: false, halfPixelCenters: false };
        return [
          tf.engine().runKernel(tf.ResizeNearestNeighborGrad, { images, dy }, attrs) as tf.Tensor,
        ];
      });
      expect(relativeError(actual, expected)).toBeLessThanOrEqual(TOLERANCE);
    }
  });
});

describe("the max-pooling gradient on wasm", () => {
  type Pad = "same" | "valid";
  const gradOfMaxPool = (x: tf.Tensor, dy: tf.Tensor, size: number, stride: number, pad: Pad) =>
    tf.grad((input) => tf.sum(tf.mul(tf.maxPool(input as tf.Tensor4D, size, stride, pad), dy)))(x);

  // Windows that tile x take the fast path, checked on signed values. The others fall back to the
  // stock kernel, checked on non-negative values (as after a ReLU): on negative ones the stock
  // wasm kernel disagrees with cpu and with the fast path, which agree.
  it("matches cpu where maxima are unique, for tiling and overlapping windows", async () => {
    for (const [shape, size, stride, pad, offset] of [
      [[2, 8, 6, 3], 2, 2, "same", 0],
      [[2, 8, 6, 3], 2, 2, "valid", 0],
      [[2, 9, 7, 3], 2, 2, "valid", 1],
      [[2, 7, 7, 3], 3, 2, "valid", 1],
    ] as [Shape4, number, number, Pad, number][]) {
      const [n, h, w, c] = shape;
      const out = (side: number) =>
        pad === "same" ? Math.ceil(side / stride) : Math.floor((side - size) / stride) + 1;
      const outShape: Shape4 = [n, out(h), out(w), c];
      await expectWasmMatchesCpu(() => [
        gradOfMaxPool(
          tf.add(tf.tensor4d(values(sizeOf(shape), 21), shape), offset),
          tf.tensor4d(values(sizeOf(outShape), 22), outShape),
          size,
          stride,
          pad,
        ),
      ]);
    }
  });

  it("shares a window's gradient equally among tied maxima", async () => {
    const x = [1, 1, 0, 3, 1, 1, 3, 2]; // [1, 2, 4, 1]: left window all 1, right window max 3 twice
    const [dx] = await on("wasm", () => [
      gradOfMaxPool(tf.tensor4d(x, [1, 2, 4, 1]), tf.tensor4d([4, 2], [1, 1, 2, 1]), 2, 2, "valid"),
    ]);
    expect(Array.from(dx)).toEqual([1, 1, 0, 1, 1, 1, 1, 0]);
  });
});

describe("registration, threads and memory", () => {
  it("runs the wasm backend's multithreaded build on two threads", () => {
    expect(tf.getBackend()).toBe("wasm");
    expect(getThreadsCount()).toBe(2);
  });

  it("is idempotent", () => {
    const before = tf.getKernel(tf.Conv2DBackpropFilter, "wasm");
    const gradientBefore = tf.getGradient(tf.FusedBatchNorm);
    registerFastWasmKernels();
    expect(tf.getKernel(tf.Conv2DBackpropFilter, "wasm")).toBe(before);
    expect(tf.getGradient(tf.FusedBatchNorm)).toBe(gradientBefore);
  });

  it("leaks no tensors across training steps of a small conv net", async () => {
    await tf.setBackend("wasm");
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [16, 16, 1], filters: 4, kernelSize: 3, padding: "same" }),
        tf.layers.batchNormalization(),
        tf.layers.reLU(),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.dropout({ rate: 0.2 }),
        tf.layers.upSampling2d({ size: [2, 2] }),
        tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: "same", activation: "softmax" }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(1e-2), loss: "categoricalCrossentropy" });
    const x = tf.tensor4d(values(4 * 16 * 16, 11), [4, 16, 16, 1]);
    const y = tf
      .oneHot(
        tf.tensor3d(
          Int32Array.from(values(4 * 16 * 16, 12), (v) => (v > 0 ? 1 : 2)),
          [4, 16, 16],
          "int32",
        ),
        4,
      )
      .toFloat();
    const losses: number[] = [];
    const counts: number[] = [];
    for (let step = 0; step < 4; step++) {
      losses.push((await model.trainOnBatch(x, y)) as number);
      counts.push(tf.memory().numTensors);
    }
    expect(counts[3]).toBe(counts[1]);
    expect(losses[3]).toBeLessThan(losses[0]);
    model.dispose();
    tf.dispose([x, y]);
  });
});
