/**
 * An exported SegNet loaded into onnxruntime-node: one InferenceSession, reused for every run.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { basename } from "node:path";
import * as ort from "onnxruntime-node";
import { NUM_CLASSES } from "../classes.js";
import { UserError } from "../errors.js";
import { INPUT_NAME, OUTPUT_NAME, parseMetadata } from "./metadata.js";
import type { ModelMetadata } from "./metadata.js";
import { readMetadataProps } from "./onnx-graph.js";

export interface OnnxModelOptions {
  /** Threads of one inference. Default: the machine's cores. */
  threads?: number;
}

export class OnnxModel {
  private constructor(
    /** Where it came from, for messages and reports. */
    readonly source: string,
    /** sha256 of the model file, hex. */
    readonly sha256: string,
    readonly metadata: ModelMetadata,
    private readonly session: ort.InferenceSession,
  ) {}

  static async load(file: string, options: OnnxModelOptions = {}): Promise<OnnxModel> {
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (error) {
      throw new UserError(
        `model ${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      );
    }
    return OnnxModel.fromBytes(bytes, file, options);
  }

  /** Checks the metadata before onnxruntime sees the bytes, so a wrong model fails with a reason. */
  static async fromBytes(
    bytes: Uint8Array,
    source: string,
    options: OnnxModelOptions = {},
  ): Promise<OnnxModel> {
    let metadata: ModelMetadata;
    try {
      metadata = parseMetadata(readMetadataProps(bytes));
    } catch (error) {
      const reason = (error as Error).message.split("\n")[0];
      throw new UserError(`model ${source}: not a chromoseg ONNX model (${reason})`);
    }
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(bytes, {
        intraOpNumThreads: options.threads ?? availableParallelism(),
        interOpNumThreads: 1,
        graphOptimizationLevel: "all",
      });
    } catch (error) {
      const reason = (error as Error).message.split("\n")[0];
      throw new UserError(`model ${source}: onnxruntime cannot load it (${reason})`);
    }
    if (!session.inputNames.includes(INPUT_NAME) || !session.outputNames.includes(OUTPUT_NAME)) {
      await session.release();
      throw new UserError(
        `model ${source}: not a chromoseg ONNX model (graph ${session.inputNames.join(", ")} → ` +
          `${session.outputNames.join(", ")}; expected ${INPUT_NAME} → ${OUTPUT_NAME})`,
      );
    }
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    return new OnnxModel(source, sha256, metadata, session);
  }

  /** What a report says about the model. */
  get description(): { file: string; sha256: string; producer: string; preset: string | null } {
    return {
      file: basename(this.source),
      sha256: this.sha256,
      producer: this.metadata.producer,
      preset: this.metadata.network.preset,
    };
  }

  /**
   * Class probabilities [count, height, width, 4] of normalised input [count, height, width, 1];
   * height and width must be multiples of `metadata.input.sizeDivisor`.
   */
  async probabilities(
    input: Float32Array,
    count: number,
    height: number,
    width: number,
  ): Promise<Float32Array> {
    const feeds = { [INPUT_NAME]: new ort.Tensor("float32", input, [count, height, width, 1]) };
    const results = await this.session.run(feeds);
    const data = results[OUTPUT_NAME].data as Float32Array;
    if (data.length !== count * height * width * NUM_CLASSES)
      throw new Error(`model ${this.source} returned ${data.length} values; expected 4 per pixel`);
    return data;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
