/**
 * A small builder for ONNX graphs over the onnx-proto message classes: nodes with typed
 * attributes, float initializers, and the encoded model.
 */
import onnxProto from "onnx-proto";

export const { onnx } = onnxProto;

/** The opset the exporter writes (Softmax over one axis and Resize's modes need 13). */
export const OPSET = 13;
/** IR version 7 is the one that goes with opset 13. */
const IR_VERSION = 7;

/** Whole numbers are INT (or INTS), strings STRING: the only attribute types the exporter needs. */
export type AttributeValue = number | number[] | string;

/** A tensor's dimension: a fixed size, or a name for a size chosen at run time. */
export type Dimension = number | string;

export class OnnxGraph {
  private readonly nodes: InstanceType<typeof onnx.NodeProto>[] = [];
  private readonly initializers: InstanceType<typeof onnx.TensorProto>[] = [];
  private readonly names: Set<string>;

  /** `reserved`: names that only `node(…, { exact: true })` may give (the graph's input and output). */
  constructor(reserved: string[] = []) {
    this.names = new Set(reserved);
  }

  /** Adds a node; returns the name of its (single) output: `output`, made unique unless `exact`. */
  node(
    opType: string,
    inputs: string[],
    output: string,
    attributes: Record<string, AttributeValue> = {},
    { exact = false } = {},
  ): string {
    const name = exact ? output : this.unique(output);
    this.nodes.push(
      onnx.NodeProto.create({
        opType,
        name,
        input: inputs,
        output: [name],
        attribute: Object.entries(attributes).map(([key, value]) => attribute(key, value)),
      }),
    );
    return name;
  }

  /** Adds a float32 constant; returns its name. */
  floats(name: string, dims: number[], values: Float32Array | number[]): string {
    const unique = this.unique(name);
    this.initializers.push(
      onnx.TensorProto.create({
        name: unique,
        dims,
        dataType: onnx.TensorProto.DataType.FLOAT,
        rawData: new Uint8Array(Float32Array.from(values).buffer),
      }),
    );
    return unique;
  }

  /** The model file: a graph from `input` to `output`, float32 tensors of the given shapes. */
  encode(options: {
    name: string;
    input: { name: string; shape: Dimension[] };
    output: { name: string; shape: Dimension[] };
    producer: { name: string; version: string };
    metadata: Record<string, string>;
  }): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: IR_VERSION,
      opsetImport: [{ domain: "", version: OPSET }],
      producerName: options.producer.name,
      producerVersion: options.producer.version,
      graph: onnx.GraphProto.create({
        name: options.name,
        node: this.nodes,
        initializer: this.initializers,
        input: [valueInfo(options.input.name, options.input.shape)],
        output: [valueInfo(options.output.name, options.output.shape)],
      }),
      metadataProps: Object.entries(options.metadata).map(([key, value]) => ({ key, value })),
    });
    return onnx.ModelProto.encode(model).finish();
  }

  private unique(name: string): string {
    let candidate = name;
    for (let k = 1; this.names.has(candidate); k++) candidate = `${name}_${k}`;
    this.names.add(candidate);
    return candidate;
  }
}

function attribute(name: string, value: AttributeValue): InstanceType<typeof onnx.AttributeProto> {
  const type = onnx.AttributeProto.AttributeType;
  if (typeof value === "string")
    return onnx.AttributeProto.create({
      name,
      type: type.STRING,
      s: new TextEncoder().encode(value),
    });
  const ints = Array.isArray(value) ? value : [value];
  if (!ints.every(Number.isInteger))
    throw new Error(`ONNX attribute ${name}: ${String(value)} is not a whole number`);
  return Array.isArray(value)
    ? onnx.AttributeProto.create({ name, type: type.INTS, ints: value })
    : onnx.AttributeProto.create({ name, type: type.INT, i: value });
}

function valueInfo(name: string, shape: Dimension[]) {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: {
          dim: shape.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })),
        },
      },
    },
  });
}

/** The metadata_props of an encoded model; throws when the bytes are not an ONNX model. */
export function readMetadataProps(bytes: Uint8Array): Record<string, string> {
  const model = onnx.ModelProto.decode(bytes);
  return Object.fromEntries(model.metadataProps.map((p) => [p.key, p.value]));
}
