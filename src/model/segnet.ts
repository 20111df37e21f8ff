/**
 * Builds a SegNet as a tfjs LayersModel: grey input [N, H, W, 1] (values 0–1, see `normalizeGrey`)
 * to class probabilities [N, H, W, 4] (background, chromosome A, chromosome B, overlap).
 * Fully convolutional: any H and W that divide by `sizeDivisor(config)`.
 */
import * as tf from "@tensorflow/tfjs";
import { NUM_CLASSES } from "../classes.js";
import { validateConfig } from "./config.js";
import type { SegNetConfig } from "./config.js";
import { MaxUnpooling2D, SWITCH_TOLERANCE } from "./unpool.js";

type Symbolic = tf.SymbolicTensor;
type KernelInitializer = NonNullable<Parameters<typeof tf.layers.conv2d>[0]["kernelInitializer"]>;

/** `seed`: when given, the initial weights are the same on every build (else random). */
export function buildSegNet(config: SegNetConfig, seed?: number): tf.LayersModel {
  validateConfig(config);
  let layerSeed = seed;
  const kernelInitializer = (kind: "heNormal" | "glorotUniform") =>
    layerSeed === undefined ? kind : tf.initializers[kind]({ seed: layerSeed++ });
  const depth = config.filters.length;
  const input = tf.input({ shape: [null, null, 1], name: "grey" });
  const beforePooling: Symbolic[] = [];

  let t: Symbolic = input;
  for (let b = 0; b < depth; b++) {
    for (let c = 0; c < config.convs[b]; c++)
      t = convBlock(
        t,
        config.filters[b],
        `encoder${b}_${c}`,
        config,
        kernelInitializer("heNormal"),
      );
    beforePooling.push(t);
    t = apply(tf.layers.maxPooling2d({ poolSize: 2, strides: 2, name: `encoder${b}_pool` }), t);
    t = apply(tf.layers.dropout({ rate: config.dropout[b], name: `encoder${b}_dropout` }), t);
  }

  for (let b = depth - 1; b >= 0; b--) {
    t =
      config.upsampling === "indices"
        ? apply(
            new MaxUnpooling2D({
              name: `decoder${b}_unpool`,
              tolerance: config.switchTolerance ?? SWITCH_TOLERANCE,
            }),
            [t, beforePooling[b]],
          )
        : apply(tf.layers.upSampling2d({ size: [2, 2], name: `decoder${b}_upsample` }), t);
    // The last convolution of a decoder block narrows to the width of the block above it, so
    // the next unpooling finds the same number of channels as its switches.
    for (let c = 0; c < config.convs[b]; c++) {
      const last = c === config.convs[b] - 1 && b > 0;
      const filters = last ? config.filters[b - 1] : config.filters[b];
      t = convBlock(t, filters, `decoder${b}_${c}`, config, kernelInitializer("heNormal"));
    }
    if (b > 0)
      t = apply(tf.layers.dropout({ rate: config.dropout[b], name: `decoder${b}_dropout` }), t);
  }

  const logits = apply(
    tf.layers.conv2d({
      filters: NUM_CLASSES,
      kernelSize: 1,
      kernelInitializer: kernelInitializer("glorotUniform"),
      name: "logits",
    }),
    t,
  );
  const probabilities = apply(
    tf.layers.activation({ activation: "softmax", name: "probabilities" }),
    logits,
  );
  return tf.model({ inputs: input, outputs: probabilities, name: "segnet" });
}

/** conv 3 × 3 (no bias: the batch norm's shift is the bias) → batch norm → ReLU. */
function convBlock(
  t: Symbolic,
  filters: number,
  name: string,
  { batchNormMomentum = 0.99 }: SegNetConfig,
  kernelInitializer: KernelInitializer,
): Symbolic {
  t = apply(
    tf.layers.conv2d({
      filters,
      kernelSize: 3,
      padding: "same",
      useBias: false,
      kernelInitializer,
      name: `${name}_conv`,
    }),
    t,
  );
  t = apply(tf.layers.batchNormalization({ momentum: batchNormMomentum, name: `${name}_bn` }), t);
  return apply(tf.layers.reLU({ name: `${name}_relu` }), t);
}

function apply(layer: tf.layers.Layer, t: Symbolic | Symbolic[]): Symbolic {
  return layer.apply(t) as Symbolic;
}

/** What a model's input height and width must divide by: 2 ^ its max-pooling layers. */
export function modelDivisor(model: tf.LayersModel): number {
  return 2 ** model.layers.filter((layer) => layer.getClassName() === "MaxPooling2D").length;
}
