/**
 * tfjs SegNet → ONNX model file with chromoseg's metadata, refused unless onnxruntime reproduces
 * tfjs's probabilities (see parity.ts).
 */
import * as tf from "@tensorflow/tfjs";
import type { ChromosomeNaming } from "../data/name-by-area.js";
import { UserError } from "../errors.js";
import type { GreyImage } from "../image/grey-image.js";
import { modelDivisor } from "../model/segnet.js";
import { MaxUnpooling2D, SWITCH_TOLERANCE } from "../model/unpool.js";
import { chromosomeNamingOf } from "../train/train-config.js";
import type { TrainingReport } from "../train/training-report.js";
import { VERSION } from "../version.js";
import { convertLayers } from "./layers-to-onnx.js";
import { CLASS_METADATA, INPUT_NAME, OUTPUT_NAME, metadataProps } from "../onnx/metadata.js";
import type { ModelMetadata, ParityFigures } from "../onnx/metadata.js";
import { OnnxGraph } from "../onnx/onnx-graph.js";
import { checkParity, describeParity, parityPasses } from "./parity.js";

export interface ExportInput {
  model: tf.LayersModel;
  /** The training report saved beside the model, when there is one. */
  report: TrainingReport | null;
  /** 8-bit grey at the training resolution, for the parity check's real crops. */
  parityImage: GreyImage;
  /**
   * Replaces the width of every unpooling layer's switch ramp, in the model and the export alike
   * (a different network: evaluate the result). For models trained with hard switches.
   * @default the model's own
   */
  switchTolerance?: number;
  /**
   * Who names chromosomes A and B in the model's output (see data/name-by-area.ts); written to the
   * metadata, where inference reads it. Must agree with the report when both are given.
   * @default the report's (`area` for a permutation-invariant loss); `network` without a report
   */
  naming?: ChromosomeNaming;
}

export interface ExportedModel {
  /** The .onnx file's bytes. */
  bytes: Uint8Array;
  metadata: ModelMetadata;
}

/** Throws a UserError with the figures when the parity check fails. */
export async function exportToOnnx({
  model,
  report,
  parityImage,
  switchTolerance,
  naming,
}: ExportInput): Promise<ExportedModel> {
  const chromosomeNaming = namingOf(report, naming);
  const unpools = model.layers.filter((l): l is MaxUnpooling2D => l instanceof MaxUnpooling2D);
  if (switchTolerance !== undefined) for (const layer of unpools) layer.tolerance = switchTolerance;
  const graph = new OnnxGraph([INPUT_NAME, OUTPUT_NAME]);
  const nchw = convertLayers(model, graph);
  graph.node("Transpose", [nchw], OUTPUT_NAME, { perm: [0, 2, 3, 1] }, { exact: true });
  const divisor = modelDivisor(model);
  const encode = (parity: ParityFigures) => {
    const metadata = describe(model, report, chromosomeNaming, divisor, unpools, parity);
    const bytes = graph.encode({
      name: model.name,
      input: { name: INPUT_NAME, shape: ["batch", "height", "width", 1] },
      output: {
        name: OUTPUT_NAME,
        shape: ["batch", "height", "width", CLASS_METADATA.names.length],
      },
      producer: { name: "chromoseg", version: VERSION },
      metadata: metadataProps(metadata),
    });
    return { bytes, metadata };
  };
  const unchecked = encode({
    maxAbsDifference: NaN,
    noiseMaxAbsDifference: NaN,
    argmaxAgreement: NaN,
    pixels: 0,
    inputs: [],
    tfjsBackend: "",
  });
  const parity = await checkParity(model, unchecked.bytes, parityImage, divisor);
  if (!parityPasses(parity)) {
    const hard = unpools.some((l) => l.tolerance === 0);
    throw new UserError(
      `parity check failed: ${describeParity(parity)}; nothing written` +
        (hard
          ? `. The model unpools with hard switches, whose ties onnxruntime breaks differently: retrain, or export with --switch-tolerance ${SWITCH_TOLERANCE} (changes the model; evaluate the export)`
          : ""),
    );
  }
  return encode(parity);
}

function namingOf(report: TrainingReport | null, naming?: ChromosomeNaming): ChromosomeNaming {
  if (!report) return naming ?? "network";
  const trained = chromosomeNamingOf(report.config);
  if (naming && naming !== trained) {
    throw new UserError(
      `the training report says the model's chromosomes are named by ${trained === "area" ? "area" : "the network"} ` +
        `(permutationInvariant: ${report.config.permutationInvariant}), not by ${naming}`,
    );
  }
  return trained;
}

function describe(
  model: tf.LayersModel,
  report: TrainingReport | null,
  chromosomeNaming: ChromosomeNaming,
  divisor: number,
  unpools: MaxUnpooling2D[],
  parity: ParityFigures,
): ModelMetadata {
  const best = report?.history.find((r) => r.epoch === report.bestEpoch);
  return {
    producer: `chromoseg ${VERSION}`,
    classes: CLASS_METADATA,
    input: {
      layout: "NHWC",
      channels: 1,
      normalization: "8-bit grey / 255 (12-bit data ÷ 16 and 16-bit ÷ 257 to 8 bits first)",
      sizeDivisor: divisor,
    },
    network: {
      preset: report?.config.preset ?? null,
      config: report?.config.model ?? null,
      parameters: model.countParams(),
      switchTolerance: unpools[0]?.tolerance ?? null,
      chromosomeNaming,
    },
    training: report && {
      data: { file: report.data.file, sha256: report.data.sha256, samples: report.data.count },
      split: { ...report.split, seed: report.config.seed },
      bestEpoch: report.bestEpoch,
      validation: best
        ? {
            loss: best.valLoss,
            pixelAccuracy: best.valPixelAccuracy,
            iou: best.valIoU,
            meanIoU: best.valMeanIoU,
          }
        : null,
      stopReason: report.stopReason,
    },
    parity,
  };
}
