/**
 * Converts a tfjs LayersModel made of the layers the SegNet presets use into an ONNX graph.
 *
 * Written here because nothing converts tfjs to ONNX from JavaScript (tf2onnx is Python). The
 * graph works in NCHW, as ONNX's Conv and MaxPool do: the NHWC input is transposed once at the
 * start and the probabilities once at the end. Batch norms that follow a convolution are folded
 * into its weights and bias; dropout disappears.
 */
import * as tf from "@tensorflow/tfjs";
import { UserError } from "../errors.js";
import type { MaxUnpooling2D } from "../model/unpool.js";
import { INPUT_NAME } from "../onnx/metadata.js";
import { OnnxGraph, onnx } from "../onnx/onnx-graph.js";

const FLOAT = onnx.TensorProto.DataType.FLOAT;

type Layer = tf.layers.Layer;

/** Adds the layers of `model` to `graph`; returns the name of the NCHW output tensor. */
export function convertLayers(model: tf.LayersModel, graph: OnnxGraph): string {
  if (model.inputs.length !== 1 || model.outputs.length !== 1)
    throw new UserError("only models with one input and one output can be exported");
  const tensors = new Map<string, string>();
  const folds = foldableBatchNorms(model);
  const foldedBatchNorms = new Set([...folds.values()].map((bn) => bn.name));
  for (const layer of model.layers) {
    const inputs = inboundLayers(layer).map((l) => tensors.get(l.name)!);
    let output: string;
    if (foldedBatchNorms.has(layer.name))
      output = inputs[0]; // already in its convolution
    else if (folds.has(layer.name))
      output = convolution(graph, layer, inputs[0], folds.get(layer.name));
    else output = convertLayer(graph, layer, inputs);
    tensors.set(layer.name, output);
  }
  return tensors.get(model.outputs[0].sourceLayer.name)!;
}

function convertLayer(graph: OnnxGraph, layer: Layer, inputs: string[]): string {
  const config = layer.getConfig();
  const name = layer.name;
  switch (layer.getClassName()) {
    case "InputLayer":
      return graph.node("Transpose", [INPUT_NAME], "input_nchw", { perm: [0, 3, 1, 2] });
    case "Conv2D":
      return convolution(graph, layer, inputs[0]);
    case "BatchNormalization":
      return batchNorm(graph, layer, inputs[0]);
    case "ReLU":
      if (config.maxValue != null) throw unsupported(layer, "ReLU with a maximum value");
      return graph.node("Relu", inputs, name);
    case "Activation":
      return activation(graph, layer, inputs[0], String(config.activation));
    case "Dropout":
      return inputs[0];
    case "MaxPooling2D":
      return maxPool(graph, inputs[0], name, config);
    case "UpSampling2D":
      if (config.interpolation !== "nearest") throw unsupported(layer, "bilinear upsampling");
      return nearestUpsample(graph, inputs[0], name, config.size as number[]);
    case "MaxUnpooling2D":
      return maxUnpool(graph, inputs[0], inputs[1], name, (layer as MaxUnpooling2D).tolerance);
    default:
      throw unsupported(layer);
  }
}

/**
 * The batch norms that can be folded: those whose input is a convolution with a linear activation
 * used by nothing else. Keyed by the convolution's name.
 */
function foldableBatchNorms(model: tf.LayersModel): Map<string, Layer> {
  const folded = new Map<string, Layer>();
  for (const layer of model.layers) {
    const [source] = inboundLayers(layer);
    if (
      isBatchNorm(layer) &&
      source?.getClassName() === "Conv2D" &&
      source.getConfig().activation === "linear" &&
      consumers(model, source).length === 1
    )
      folded.set(source.name, layer);
  }
  return folded;
}

/**
 * Conv with the kernel moved from tfjs's [kh, kw, in, out] to ONNX's [out, in, kh, kw]; with a
 * batch norm folded in, each output channel's weights scale by γ / √(σ² + ε) and its bias
 * becomes β + (b − μ) γ / √(σ² + ε).
 */
function convolution(graph: OnnxGraph, layer: Layer, input: string, batchNorm?: Layer): string {
  const config = layer.getConfig();
  if (config.dataFormat !== "channelsLast") throw unsupported(layer, "channels-first data");
  const [kernel, bias] = layer.getWeights();
  const [kh, kw, cin, cout] = kernel.shape;
  const k = kernel.dataSync();
  const scale = new Float32Array(cout).fill(1);
  const shift = bias ? Float32Array.from(bias.dataSync()) : new Float32Array(cout);
  if (batchNorm) {
    const bn = batchNormTerms(batchNorm);
    for (let o = 0; o < cout; o++) {
      scale[o] = bn.scale[o];
      shift[o] = bn.shift[o] + shift[o] * bn.scale[o];
    }
  }
  const weights = new Float32Array(k.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < cin; i++)
        for (let o = 0; o < cout; o++)
          weights[((o * cin + i) * kh + y) * kw + x] =
            k[((y * kw + x) * cin + i) * cout + o] * scale[o];
  const outputName = batchNorm?.name ?? layer.name;
  const conv = graph.node(
    "Conv",
    [
      input,
      graph.floats(convInitializers(layer.name).weights, [cout, cin, kh, kw], weights),
      graph.floats(convInitializers(layer.name).bias, [cout], shift),
    ],
    outputName,
    {
      kernel_shape: [kh, kw],
      strides: pair(config.strides),
      dilations: pair(config.dilationRate),
      auto_pad: autoPad(layer, config.padding),
    },
  );
  const activationName = String(config.activation);
  return activationName === "linear" ? conv : activation(graph, layer, conv, activationName);
}

/** A batch norm on its own, as y = x × scale + shift per channel. */
function batchNorm(graph: OnnxGraph, layer: Layer, input: string): string {
  const { scale, shift } = batchNormTerms(layer);
  const shape = [scale.length, 1, 1];
  const scaled = graph.node(
    "Mul",
    [input, graph.floats(`${layer.name}_scale`, shape, scale)],
    `${layer.name}_scaled`,
  );
  return graph.node("Add", [scaled, graph.floats(`${layer.name}_shift`, shape, shift)], layer.name);
}

/** γ / √(σ² + ε) and β − μ γ / √(σ² + ε) per channel. */
function batchNormTerms(layer: Layer): { scale: Float32Array; shift: Float32Array } {
  const config = layer.getConfig();
  if (config.axis !== -1 && config.axis !== 3) throw unsupported(layer, `axis ${config.axis}`);
  const weights = new Map(
    layer.weights.map((w, i) => [w.originalName.split("/").pop()!, layer.getWeights()[i]]),
  );
  const mean = weights.get("moving_mean")!.dataSync();
  const variance = weights.get("moving_variance")!.dataSync();
  const gamma = weights.get("gamma")?.dataSync();
  const beta = weights.get("beta")?.dataSync();
  const epsilon = Number(config.epsilon);
  const scale = new Float32Array(mean.length);
  const shift = new Float32Array(mean.length);
  for (let c = 0; c < mean.length; c++) {
    scale[c] = (gamma?.[c] ?? 1) / Math.sqrt(variance[c] + epsilon);
    shift[c] = (beta?.[c] ?? 0) - mean[c] * scale[c];
  }
  return { scale, shift };
}

function activation(graph: OnnxGraph, layer: Layer, input: string, name: string): string {
  switch (name) {
    case "linear":
      return input;
    case "relu":
      return graph.node("Relu", [input], `${layer.name}_relu`);
    case "softmax":
      return graph.node("Softmax", [input], `${layer.name}_softmax`, { axis: 1 });
    default:
      throw unsupported(layer, `activation ${name}`);
  }
}

function maxPool(
  graph: OnnxGraph,
  input: string,
  name: string,
  config: tf.serialization.ConfigDict,
): string {
  const size = pair(config.poolSize);
  return graph.node("MaxPool", [input], name, {
    kernel_shape: size,
    strides: pair(config.strides ?? config.poolSize),
    auto_pad: config.padding === "same" ? "SAME_UPPER" : "VALID",
  });
}

/** Each value repeated size[0] × size[1] times (Resize, nearest, source index = floor(i / s)). */
function nearestUpsample(graph: OnnxGraph, input: string, name: string, size: number[]): string {
  return graph.node(
    "Resize",
    [input, "", graph.floats(`${name}_scales`, [4], [1, 1, size[0], size[1]])],
    name,
    { mode: "nearest", coordinate_transformation_mode: "asymmetric", nearest_mode: "floor" },
  );
}

/**
 * SegNet's unpooling (see model/unpool.ts), out = upsample(y) × switches, with x the encoder's
 * activation and y the decoder's; switches = relu(1 − (upsample(maxpool(x)) − x) / τ), or for
 * τ = 0 (hard switches) x == upsample(maxpool(x)).
 */
function maxUnpool(
  graph: OnnxGraph,
  decoded: string,
  encoded: string,
  name: string,
  tolerance: number,
): string {
  const pooled = graph.node("MaxPool", [encoded], `${name}_maxima`, {
    kernel_shape: [2, 2],
    strides: [2, 2],
  });
  const spread = nearestUpsample(graph, pooled, `${name}_spread`, [2, 2]);
  let switches: string;
  if (tolerance === 0) {
    const isMax = graph.node("Equal", [encoded, spread], `${name}_is_max`);
    switches = graph.node("Cast", [isMax], `${name}_switches`, { to: FLOAT });
  } else {
    const belowMax = graph.node("Sub", [spread, encoded], `${name}_below_max`);
    const scaled = graph.node(
      "Mul",
      [belowMax, graph.floats(`${name}_inverse_tolerance`, [], [1 / tolerance])],
      `${name}_scaled`,
    );
    const ramp = graph.node("Sub", [graph.floats(`${name}_one`, [], [1]), scaled], `${name}_ramp`);
    switches = graph.node("Relu", [ramp], `${name}_switches`);
  }
  const upsampled = nearestUpsample(graph, decoded, `${name}_upsampled`, [2, 2]);
  return graph.node("Mul", [upsampled, switches], name);
}

function autoPad(layer: Layer, padding: unknown): string {
  if (padding === "same") return "SAME_UPPER"; // TensorFlow puts the odd pixel at the end
  if (padding === "valid") return "VALID";
  throw unsupported(layer, `padding ${String(padding)}`);
}

function pair(value: unknown): number[] {
  return Array.isArray(value) ? (value as number[]) : [Number(value), Number(value)];
}

function inboundLayers(layer: Layer): Layer[] {
  return layer.inboundNodes[0]?.inboundLayers ?? [];
}

/** The layers that take `layer`'s output. */
export function consumers(model: tf.LayersModel, layer: Layer): Layer[] {
  return model.layers.filter((l) => inboundLayers(l).includes(layer));
}

function isBatchNorm(layer: Layer): boolean {
  return layer.getClassName() === "BatchNormalization";
}

function unsupported(layer: Layer, what?: string): UserError {
  return new UserError(
    `cannot export layer "${layer.name}" (${layer.getClassName()}${what ? `: ${what}` : ""}): ` +
      "the exporter covers Conv2D, BatchNormalization, ReLU, Activation (relu, softmax), Dropout, " +
      "MaxPooling2D, UpSampling2D (nearest) and MaxUnpooling2D",
  );
}

/** The names of a convolution's initializers in the ONNX graph (its batch norm folded in). */
export function convInitializers(layerName: string): { weights: string; bias: string } {
  return { weights: `${layerName}_weights`, bias: `${layerName}_bias` };
}
