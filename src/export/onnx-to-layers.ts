/**
 * The reverse of layers-to-onnx.ts for chromoseg's own exports: a fresh SegNet built from the
 * configuration in the ONNX file's metadata, with the weights of its initializers. So the ONNX
 * file alone is the model, and tfjs can run it too (`chromoseg bench infer` compares the engines).
 *
 * The export folded each batch norm into its convolution, so the rebuilt batch norms pass values
 * through unchanged (γ 1, mean 0, variance 1 − ε) except for β, which carries the folded bias.
 */
import * as tf from "@tensorflow/tfjs";
import { UserError } from "../errors.js";
import { buildSegNet } from "../model/segnet.js";
import { consumers, convInitializers } from "./layers-to-onnx.js";
import type { ModelMetadata } from "../onnx/metadata.js";
import { onnx } from "../onnx/onnx-graph.js";

/**
 * `bytes`: the ONNX file, whose `metadata` was read and checked as OnnxModel does. Throws a
 * UserError naming `source` when the file is not a SegNet exported by chromoseg.
 */
export function segnetFromOnnx(
  bytes: Uint8Array,
  { network }: ModelMetadata,
  source: string,
): tf.LayersModel {
  const fail = (reason: string) => new UserError(`model ${source}: ${reason}`);
  if (!network.config)
    throw fail("its metadata has no network configuration, so tfjs cannot rebuild it");
  const model = buildSegNet({
    ...network.config,
    ...(network.switchTolerance === null ? {} : { switchTolerance: network.switchTolerance }),
  });
  const initializers = floatInitializers(bytes);
  const weightsOf = (name: string, shape: number[]) => {
    const values = initializers.get(name);
    const size = shape.reduce((a, b) => a * b, 1);
    if (values?.length !== size)
      throw fail(
        `no initializer ${name} of ${shape.join(" × ")} values for its SegNet configuration`,
      );
    return values;
  };
  tf.tidy(() => {
    for (const layer of model.layers) {
      if (layer.getClassName() !== "Conv2D") continue;
      const [kernel] = layer.getWeights();
      const [kh, kw, cin, cout] = kernel.shape;
      const names = convInitializers(layer.name);
      const onnxKernel = weightsOf(names.weights, [cout, cin, kh, kw]);
      const bias = tf.tensor1d(weightsOf(names.bias, [cout]));
      // ONNX's [out, in, kh, kw] back to tfjs's [kh, kw, in, out]
      const tfjsKernel = tf.tensor4d(onnxKernel, [cout, cin, kh, kw]).transpose([2, 3, 1, 0]);
      if (layer.getConfig().useBias) {
        layer.setWeights([tfjsKernel, bias]);
        continue;
      }
      layer.setWeights([tfjsKernel]);
      const [batchNorm] = consumers(model, layer);
      const epsilon = Number(batchNorm.getConfig().epsilon);
      // gamma, beta, moving mean, moving variance
      batchNorm.setWeights([tf.ones([cout]), bias, tf.zeros([cout]), tf.fill([cout], 1 - epsilon)]);
    }
  });
  return model;
}

/**
 * The float initializers by name. The exporter writes them as little-endian raw data, copied here
 * because a Float32Array needs its bytes aligned.
 */
function floatInitializers(bytes: Uint8Array): Map<string, Float32Array> {
  const graph = onnx.ModelProto.decode(bytes).graph;
  const floats = new Map<string, Float32Array>();
  for (const tensor of graph?.initializer ?? []) {
    if (tensor.dataType !== onnx.TensorProto.DataType.FLOAT) continue;
    const raw = tensor.rawData?.length ? tensor.rawData : undefined;
    floats.set(
      tensor.name ?? "",
      raw
        ? new Float32Array(new Uint8Array(raw).buffer)
        : Float32Array.from(tensor.floatData ?? []),
    );
  }
  return floats;
}
