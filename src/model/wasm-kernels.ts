/**
 * Faster kernels for the tfjs wasm backend, so that a convolutional network trains on it.
 *
 * tfjs 4.22's wasm backend has no Conv2DBackpropFilter kernel at all, and its
 * Conv2DBackpropInput is a naive loop about 20× slower than the forward convolution (`chromoseg
 * bench kernels` measures both). Both are
 * rewritten here as compositions of the backend's own XNNPACK-backed operations (conv2d, matMul,
 * pad, transpose). Each kernel calls tf ops inside `tf.tidy` and returns the resulting tensor:
 * the engine accepts a Tensor as a kernel's output, does not record nested ops on the gradient
 * tape (it runs kernels at kernelDepth > 0), and the tidy disposes every intermediate.
 *
 * Profiling a SegNet training step found more: a few generic kernels and gradients that are
 * loops or JavaScript on wasm. Each replacement below says what it replaces and by how much;
 * each was kept only because it shortened a training step. `configureWasmThreads` (wasm-threads.ts)
 * makes the backend's multithreaded build usable in Node.
 */
import * as tf from "@tensorflow/tfjs";
import type {
  CastAttrs,
  Conv2DBackpropFilterAttrs,
  Conv2DBackpropInputAttrs,
  FusedBatchNormAttrs,
  GradConfig,
  KernelConfig,
  KernelFunc,
  MaxPoolGradAttrs,
  MeanAttrs,
  NamedAttrMap,
  ResizeNearestNeighborGradAttrs,
  SumAttrs,
  TensorInfo,
  TileAttrs,
} from "@tensorflow/tfjs";
// Importing the package also registers the wasm backend with tfjs.
import "@tensorflow/tfjs-backend-wasm";
import { windowMaximaMask } from "./unpool.js";

const BACKEND = "wasm";

/** [batch, height, width, channels] */
type Nhwc = [number, number, number, number];
/** [filterHeight, filterWidth, inChannels, outChannels] */
type FilterShape = [number, number, number, number];
/** Padding for tf.conv2d: [[0, 0], [top, bottom], [left, right], [0, 0]] */
type ExplicitPads = [[number, number], [number, number], [number, number], [number, number]];

/** What the engine passes a kernel: named inputs, the backend, the op's attributes. */
type KernelArgs = Parameters<KernelFunc>[0];
/** Lazily computed gradients of a kernel's inputs, by input name. */
type NamedGradients = Record<string, () => tf.Tensor>;
/** A gradient for float32 tensors on wasm, or undefined to use the original gradient. */
type WasmGradFunc = (
  dy: tf.Tensor,
  saved: tf.Tensor[],
  attrs: NamedAttrMap,
) => NamedGradients | undefined;

function input(args: KernelArgs, name: string): TensorInfo {
  const info = args.inputs[name];
  if (info === undefined) throw new Error(`wasm kernel: missing input ${name}`);
  return info;
}

function attrsOf<A>(args: KernelArgs): A {
  return args.attrs as unknown as A;
}

/** The engine passes tensors to kernels; wrap a bare TensorInfo just in case (tidy disposes it). */
function asTensor<R extends tf.Rank>(info: TensorInfo): tf.Tensor<R> {
  const tensor = info instanceof tf.Tensor ? info : tf.engine().makeTensorFromTensorInfo(info);
  return tensor as tf.Tensor<R>;
}

// ---------------------------------------------------------------------------------------------
// Convolution gradients

type ConvGradAttrs = Omit<Conv2DBackpropInputAttrs, "inputShape">;

/** Shapes, strides and padding of the forward convolution x ⊛ filter = y, NHWC only. */
function forwardConvInfo(
  kernelName: string,
  xShape: Nhwc,
  filterShape: FilterShape,
  attrs: ConvGradAttrs,
): tf.backend_util.Conv2DInfo {
  if (attrs.dataFormat !== "NHWC") {
    throw new Error(`${kernelName} on wasm supports dataFormat NHWC only, got ${attrs.dataFormat}`);
  }
  // tfjs refuses gradients of dilated convolutions, so these attrs carry no dilations; refuse
  // them here too should a caller pass some.
  const dilations = (attrs as { dilations?: number | number[] }).dilations ?? 1;
  if ([dilations].flat().some((d) => d !== 1)) {
    throw new Error(`${kernelName} on wasm supports dilations 1 only, got ${String(dilations)}`);
  }
  const { strides, pad, dimRoundingMode } = attrs;
  return tf.backend_util.computeConv2DInfo(xShape, filterShape, strides, 1, pad, dimRoundingMode);
}

/**
 * Inserts stride − 1 zeros after every row and column: [N, Ho, Wo, C] becomes
 * [N, Ho·sh, Wo·sw, C] (trailing zeros included), by padding a [N·Ho, 1, Wo, 1, C] view.
 */
function insertZeros(dy: tf.Tensor4D, sh: number, sw: number): tf.Tensor4D {
  if (sh === 1 && sw === 1) return dy;
  const [n, ho, wo, c] = dy.shape;
  const spread = tf.pad(tf.reshape(dy, [n * ho, 1, wo, 1, c]), [
    [0, 0],
    [0, sh - 1],
    [0, 0],
    [0, sw - 1],
    [0, 0],
  ]);
  return tf.reshape(spread, [n, ho * sh, wo * sw, c]);
}

/**
 * Spatial padding [top, bottom, left, right] for conv2d, which pads for free; a negative amount
 * crops instead (tf.slice, slow on wasm but needed only for padding wider than the filter).
 */
function padOrCrop(
  x: tf.Tensor4D,
  [top, bottom, left, right]: [number, number, number, number],
): [tf.Tensor4D, ExplicitPads] {
  let cropped = x;
  if (Math.min(top, bottom, left, right) < 0) {
    const [, h, w] = x.shape;
    const [cropTop, cropLeft] = [Math.max(-top, 0), Math.max(-left, 0)];
    const height = h - cropTop - Math.max(-bottom, 0);
    const width = w - cropLeft - Math.max(-right, 0);
    cropped = tf.slice(x, [0, cropTop, cropLeft, 0], [-1, height, width, -1]);
  }
  const pads: ExplicitPads = [
    [0, 0],
    [Math.max(top, 0), Math.max(bottom, 0)],
    [Math.max(left, 0), Math.max(right, 0)],
    [0, 0],
  ];
  return [cropped, pads];
}

/**
 * dx is dy convolved with the filter flipped spatially and with its channel axes swapped: a
 * plain stride-1 forward convolution of dy once zeros are inserted between its pixels (stride
 * > 1). dx[i] gathers dy[o]·w[k] over o·stride + k − padBefore = i, so dy needs
 * kernel − 1 − padBefore rows of padding before it, and after it what completes the height.
 * About as fast as the forward convolution (the stock kernel: about 20× slower).
 */
function conv2DBackpropInput(args: KernelArgs): tf.Tensor4D {
  const { inputShape, ...convAttrs } = attrsOf<Conv2DBackpropInputAttrs>(args);
  return tf.tidy(() => {
    const dy = asTensor<tf.Rank.R4>(input(args, "dy"));
    const filter = asTensor<tf.Rank.R4>(input(args, "filter"));
    const filterShape = filter.shape as FilterShape;
    const info = forwardConvInfo("Conv2DBackpropInput", inputShape, filterShape, convAttrs);
    const { filterHeight: kh, filterWidth: kw } = info;
    const spread = insertZeros(dy, info.strideHeight, info.strideWidth);
    const top = kh - 1 - info.padInfo.top;
    const left = kw - 1 - info.padInfo.left;
    const bottom = info.inHeight + kh - 1 - top - spread.shape[1];
    const right = info.inWidth + kw - 1 - left - spread.shape[2];
    const [padded, pads] = padOrCrop(spread, [top, bottom, left, right]);
    const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]); // [kh, kw, Co, Ci]
    return tf.conv2d(padded, flipped, 1, pads);
  });
}

/**
 * dW[a, b, ci, co] = Σ over n, i, j of xPadded[n, i·sh + a, j·sw + b, ci] · dy[n, i, j, co].
 *
 * That is itself a convolution once batch and channels trade places: x as [Ci, H, W, N] (batch
 * Ci, channels N) with dy as a [Ho, Wo, N, Co] filter, the forward stride becoming the
 * dilation. XNNPACK runs it as one implicit GEMM, 2–3× the forward convolution's time on the
 * SegNet lite layers; it was faster there than a matMul over kh·kw gathered windows of x (wasm
 * copies windows slowly). A 1×1 stride-1 unpadded filter is one matMul, [Ci, N·H·W] × [N·H·W, Co].
 */
function conv2DBackpropFilter(args: KernelArgs): tf.Tensor4D {
  const { filterShape, ...convAttrs } = attrsOf<Conv2DBackpropFilterAttrs>(args);
  return tf.tidy(() => {
    const x = asTensor<tf.Rank.R4>(input(args, "x"));
    const dy = asTensor<tf.Rank.R4>(input(args, "dy"));
    const info = forwardConvInfo("Conv2DBackpropFilter", x.shape, filterShape, convAttrs);
    const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
    const { top, bottom, left, right } = info.padInfo;
    const [ci, co] = [info.inChannels, info.outChannels];
    if (kh * kw * sh * sw === 1 && top + bottom + left + right === 0) {
      const xT = tf.reshape(tf.transpose(x, [3, 0, 1, 2]), [ci, -1]);
      return tf.reshape(tf.matMul(xT, tf.reshape(dy, [-1, co])), filterShape);
    }
    const xT = tf.transpose(x, [3, 1, 2, 0]); // [Ci, H, W, N]
    const dyT = tf.transpose(dy, [1, 2, 0, 3]); // [Ho, Wo, N, Co]
    const pads: ExplicitPads = [
      [0, 0],
      [top, bottom],
      [left, right],
      [0, 0],
    ];
    const full = tf.conv2d(xT, dyT, 1, pads, "NHWC", [sh, sw]); // [Ci, ≥ kh, ≥ kw, Co]
    // Rows no output pixel reached (valid padding, stride > 1) make it larger than the filter.
    const isExact = full.shape[1] === kh && full.shape[2] === kw;
    const dW = isExact ? full : tf.slice(full, [0, 0, 0, 0], [ci, kh, kw, co]);
    return tf.transpose(dW, [1, 2, 0, 3]);
  });
}

// ---------------------------------------------------------------------------------------------
// Broadcasts, copies and reductions

/**
 * A Tile that only repeats axes of size 1 is a broadcast: tfjs's batch-norm gradient expands
 * [1, 1, 1, C] to [N, H, W, C] that way. The wasm Tile is a generic loop (about 160 ms for
 * [16, 96, 96, 16]); a broadcasting multiply by ones runs in XNNPACK (about 5 ms). Tiles that
 * repeat real data, or exceed XNNPACK's 6 broadcast axes, keep the original kernel.
 */
function tile(args: KernelArgs): TensorInfo {
  const x = input(args, "x");
  const { reps } = attrsOf<TileAttrs>(args);
  const isBroadcast = x.shape.every((size, axis) => size === 1 || reps[axis] === 1);
  if (!isBroadcast || x.shape.length > 6 || x.dtype !== "float32") return fallback(tf.Tile, args);
  const outShape = x.shape.map((size, axis) => size * reps[axis]);
  return tf.tidy(() => tf.mul(asTensor(x), tf.fill(outShape, 1)));
}

/**
 * tfjs clones every tensor it saves for the backward pass, through the Identity kernel, which
 * on wasm copies the data. A reshape to the same shape shares the buffer instead (reference
 * counted), as the cpu backend's Identity does; tensors are immutable, so sharing is safe.
 */
function identity(args: KernelArgs): TensorInfo {
  const x = input(args, "x");
  if (x.dtype === "string" || x.dtype === "complex64") return fallback(tf.Identity, args);
  return tf.tidy(() => tf.reshape(asTensor(x), x.shape));
}

/** A cast to the same dtype (the ReLU gradient casts float32 to float32) shares the buffer too. */
function cast(args: KernelArgs): TensorInfo {
  const x = input(args, "x");
  const { dtype } = attrsOf<CastAttrs>(args);
  const isCopy = x.dtype === dtype && dtype !== "string" && dtype !== "complex64";
  if (!isCopy) return fallback(tf.Cast, args);
  return tf.tidy(() => tf.reshape(asTensor(x), x.shape));
}

/** How many leading axes `axis` reduces, when it is such a block and keeps some axis, else 0. */
function leadingReducedAxes(x: TensorInfo, axis: number | number[]): number {
  if (x.dtype !== "float32" || tf.util.sizeFromShape(x.shape) === 0) return 0;
  const axes = [...new Set(tf.util.parseAxisParam(axis, x.shape))].sort((a, b) => a - b);
  const isLeadingBlock = axes.every((a, i) => a === i);
  // Reducing every axis is already a contiguous reduction on wasm.
  return isLeadingBlock && axes.length < x.shape.length ? axes.length : 0;
}

/**
 * The mean over the `reduced` leading axes (the batch and spatial axes of an NHWC tensor, as in
 * batch-norm moments and gradients) as one XNNPACK average pooling of a [1, R1, R2, C] view.
 * The wasm Mean and Sum kernels first transpose the reduced axes last: this is about 10×
 * faster, and as accurate (both accumulate in float32).
 */
function meanLeadingAxes(x: tf.Tensor, reduced: number, keepDims: boolean): tf.Tensor {
  const kept = x.shape.slice(reduced);
  const inner = x.shape[reduced - 1];
  const outer = tf.util.sizeFromShape(x.shape.slice(0, reduced - 1));
  const view = tf.reshape(x, [1, outer, inner, tf.util.sizeFromShape(kept)]) as tf.Tensor4D;
  const means = tf.avgPool(view, [outer, inner], 1, "valid");
  return tf.reshape(means, keepDims ? [...Array<number>(reduced).fill(1), ...kept] : kept);
}

function sum(args: KernelArgs): TensorInfo {
  const x = input(args, "x");
  const { axis, keepDims } = attrsOf<SumAttrs>(args);
  const reduced = leadingReducedAxes(x, axis);
  if (reduced === 0) return fallback(tf.Sum, args);
  const count = tf.util.sizeFromShape(x.shape.slice(0, reduced));
  return tf.tidy(() => tf.mul(meanLeadingAxes(asTensor(x), reduced, keepDims), count));
}

function mean(args: KernelArgs): TensorInfo {
  const x = input(args, "x");
  const { axis, keepDims } = attrsOf<MeanAttrs>(args);
  const reduced = leadingReducedAxes(x, axis);
  if (reduced === 0) return fallback(tf.Mean, args);
  return tf.tidy(() => meanLeadingAxes(asTensor(x), reduced, keepDims));
}

/**
 * The gradient of nearest-neighbour upsampling by integer factors (UpSampling2D) sums each
 * sh × sw block of dy: a depthwise convolution with a ones filter and stride [sh, sw], in
 * XNNPACK; with its forward pass, about 4× faster than the wasm kernel's loop. Without alignCorners and with integer
 * factors the nearest source pixel is ⌊y / sh⌋, with or without halfPixelCenters.
 */
function resizeNearestNeighborGrad(args: KernelArgs): TensorInfo {
  const [images, dy] = [input(args, "images"), input(args, "dy")];
  const { alignCorners } = attrsOf<ResizeNearestNeighborGradAttrs>(args);
  const [, h, w, c] = images.shape as Nhwc;
  const [, dyHeight, dyWidth] = dy.shape as Nhwc;
  const integerFactors = dyHeight % h === 0 && dyWidth % w === 0;
  if (alignCorners || !integerFactors || dy.dtype !== "float32") {
    return fallback(tf.ResizeNearestNeighborGrad, args);
  }
  const factors: [number, number] = [dyHeight / h, dyWidth / w];
  const ones = tf.fill([...factors, c, 1], 1) as tf.Tensor4D;
  return tf.tidy(() => tf.depthwiseConv2d(asTensor<tf.Rank.R4>(dy), ones, factors, "valid"));
}

/**
 * Batch normalisation with per-channel statistics (as the BatchNormalization layer uses) as
 * x·k + (offset − mean·k), k = scale / √(variance + ε): two broadcasting XNNPACK passes, about
 * 2× faster than the wasm kernel. Other shapes keep the original kernel.
 */
function fusedBatchNorm(args: KernelArgs): TensorInfo {
  const x = input(args, "x");
  const { scale, offset } = args.inputs;
  const [mean, variance] = [input(args, "mean"), input(args, "variance")];
  const channels = x.shape[x.shape.length - 1];
  const isPerChannel = [mean, variance, scale, offset].every(
    (t) => t === undefined || (t.shape.length === 1 && t.shape[0] === channels),
  );
  if (!isPerChannel || x.dtype !== "float32") return fallback(tf.FusedBatchNorm, args);
  const { varianceEpsilon } = attrsOf<FusedBatchNormAttrs>(args);
  return tf.tidy(() => {
    const inverseStd = tf.rsqrt(tf.add(asTensor(variance), varianceEpsilon));
    const k = scale === undefined ? inverseStd : tf.mul(asTensor(scale), inverseStd);
    const shift = tf.neg(tf.mul(asTensor(mean), k));
    const bias = offset === undefined ? shift : tf.add(asTensor(offset), shift);
    return tf.add(tf.mul(asTensor(x), k), bias);
  });
}

function pair(value: number | [number, number]): [number, number] {
  return typeof value === "number" ? [value, value] : value;
}

/**
 * The max-pooling gradient for windows that tile the input (filter = stride, sizes divisible,
 * as every SegNet pooling): each window's dy goes to the positions that hold its maximum,
 * x == upsample(y), shared equally among ties. That is a subgradient of max as valid as the
 * stock kernel's (all to one tied position) and the same wherever the maximum is unique. A few
 * XNNPACK passes, about 4× faster than the wasm kernel's loop in a training step's profile, which also gets negative inputs wrong
 * (it disagrees with the cpu backend; this agrees).
 */
function maxPoolGrad(args: KernelArgs): TensorInfo {
  const [dy, x, y] = [input(args, "dy"), input(args, "input"), input(args, "output")];
  const { filterSize, strides, pad } = attrsOf<MaxPoolGradAttrs>(args);
  const [fh, fw] = pair(filterSize);
  const [sh, sw] = pair(strides);
  const [, h, w] = x.shape as Nhwc;
  const tiles =
    fh === sh && fw === sw && h % sh === 0 && w % sw === 0 && (pad === "valid" || pad === "same");
  if (!tiles || x.dtype !== "float32") return fallback(tf.MaxPoolGrad, args);
  return tf.tidy(() => {
    const isMax = windowMaximaMask(asTensor(x), asTensor(y));
    const ties = tf.mul(tf.avgPool(isMax, [sh, sw], [sh, sw], "valid"), sh * sw);
    const shared = tf.div(asTensor<tf.Rank.R4>(dy), ties) as tf.Tensor4D;
    return tf.mul(tf.image.resizeNearestNeighbor(shared, [h, w]), isMax);
  });
}

// ---------------------------------------------------------------------------------------------
// Gradients (the registry of gradients is shared by all backends: these apply on wasm only)

/**
 * The Sum and Mean gradients broadcast dy back to x's shape by multiplying it with
 * tf.ones(x.shape), and tf.ones fills a JavaScript array that is then copied into the wasm heap;
 * the same product with tf.fill, a wasm kernel, makes the batch-norm moments' gradient about 3×
 * faster.
 */
function reductionGradient(divideByCount: boolean): WasmGradFunc {
  return (dy, [x], attrs) => {
    const axes = tf.util.parseAxisParam((attrs as unknown as SumAttrs).axis, x.shape);
    const expandedShape = x.shape.map((size, axis) => (axes.includes(axis) ? 1 : size));
    const count = tf.util.sizeFromShape(axes.map((axis) => x.shape[axis]));
    const derX = () => {
      const broadcast = tf.mul(tf.reshape(dy, expandedShape), tf.fill(x.shape, 1));
      return divideByCount ? tf.div(broadcast, count) : broadcast;
    };
    return { x: derX };
  };
}

/**
 * The batch-norm gradient with per-channel mean and variance (a BatchNormalization layer in
 * training). tfjs's version makes about twelve full-size elementwise passes and a Tile, and
 * keeps two full-size tensors until the whole backward pass ends. With
 * k = scale / √(variance + ε) and sums over all axes but the channels, three passes give
 *   dx = dy·k,  dOffset = Σdy,  dMean = −k·Σdy,
 *   dScale = Σ(dy·(x − mean)) / √(variance + ε),  dVariance = −½·k·dScale / (variance + ε),
 * and only per-channel tensors outlive the call.
 */
function batchNormGradient(
  dy: tf.Tensor,
  [x, mean, variance, scale]: tf.Tensor[],
  attrs: NamedAttrMap,
): NamedGradients | undefined {
  const isPerChannel = mean.rank === 1 && x.shape[x.rank - 1] === mean.shape[0];
  if (!isPerChannel) return undefined;
  const axes = tf.backend_util.getReductionAxes(mean.shape, x.shape);
  const [sumDy, sumDyCentred] = tf.tidy(() => [
    tf.sum(dy, axes),
    tf.sum(tf.mul(dy, tf.sub(x, mean)), axes),
  ]);
  const { varianceEpsilon } = attrs as unknown as FusedBatchNormAttrs;
  const inverseStd = tf.rsqrt(tf.add(variance, varianceEpsilon));
  const k = scale == null ? inverseStd : tf.mul(scale, inverseStd);
  return {
    x: () => tf.mul(dy, k),
    mean: () => tf.neg(tf.mul(k, sumDy)),
    variance: () => tf.mul(tf.mul(k, tf.square(inverseStd)), tf.mul(sumDyCentred, -0.5)),
    scale: () => tf.mul(sumDyCentred, inverseStd),
    offset: () => sumDy,
  };
}

// ---------------------------------------------------------------------------------------------
// Registration

/** The kernels registered before ours, for the cases a fast path leaves to them. */
const originals = new Map<string, KernelConfig | undefined>();
const ourKernels = new Set<KernelConfig>();
const ourGradients = new Set<GradConfig>();

function fallback(kernelName: string, args: KernelArgs): TensorInfo {
  const original = originals.get(kernelName);
  if (original === undefined) throw new Error(`wasm kernel: no original ${kernelName}`);
  return original.kernelFunc(args) as TensorInfo;
}

/** Replaces (or adds) the wasm kernel `kernelName`, keeping the original for fallbacks. */
function overrideKernel(kernelName: string, kernelFunc: (args: KernelArgs) => TensorInfo): void {
  const current = tf.getKernel(kernelName, BACKEND);
  if (current !== undefined && ourKernels.has(current)) return;
  if (!originals.has(kernelName)) originals.set(kernelName, current);
  if (current !== undefined) tf.unregisterKernel(kernelName, BACKEND);
  const original = originals.get(kernelName);
  const config: KernelConfig = {
    kernelName,
    backendName: BACKEND,
    kernelFunc: kernelFunc as KernelFunc,
    // The backend runs setup functions when it initialises: keep the original's, so that a
    // fallback works when this registration precedes tf.setBackend("wasm").
    setupFunc: original?.setupFunc,
    disposeFunc: original?.disposeFunc,
  };
  tf.registerKernel(config);
  ourKernels.add(config);
}

/** Uses `wasmGradFunc` for the gradient of `kernelName` while the wasm backend is active. */
function overrideGradient(kernelName: string, wasmGradFunc: WasmGradFunc): void {
  const current = tf.getGradient(kernelName);
  if (current === undefined || ourGradients.has(current)) return;
  const config: GradConfig = {
    ...current,
    gradFunc: (dy, saved, attrs) => {
      const onWasm = tf.getBackend() === BACKEND && !Array.isArray(dy) && dy.dtype === "float32";
      const gradients = onWasm ? wasmGradFunc(dy as tf.Tensor, saved, attrs) : undefined;
      return gradients ?? current.gradFunc(dy, saved, attrs);
    },
  };
  tf.registerGradient(config);
  ourGradients.add(config);
}

/**
 * Registers the faster wasm kernels and gradients (idempotent). Call before or after
 * tf.setBackend("wasm"): the engine looks kernels up at each op.
 */
export function registerFastWasmKernels(): void {
  overrideKernel(tf.Conv2DBackpropInput, conv2DBackpropInput);
  overrideKernel(tf.Conv2DBackpropFilter, conv2DBackpropFilter);
  overrideKernel(tf.Tile, tile);
  overrideKernel(tf.Identity, identity);
  overrideKernel(tf.Cast, cast);
  overrideKernel(tf.Sum, sum);
  overrideKernel(tf.Mean, mean);
  overrideKernel(tf.ResizeNearestNeighborGrad, resizeNearestNeighborGrad);
  overrideKernel(tf.MaxPoolGrad, maxPoolGrad);
  overrideKernel(tf.FusedBatchNorm, fusedBatchNorm);
  overrideGradient(tf.Sum, reductionGradient(false));
  overrideGradient(tf.Mean, reductionGradient(true));
  overrideGradient(tf.FusedBatchNorm, batchNormGradient);
}
