/**
 * What an exported model says about itself, in the ONNX file's metadata_props: one key per field,
 * each value JSON. The exporter writes it; the engine reads it and refuses a model whose classes
 * or input it cannot serve.
 */
import { CLASS_NAMES, PALETTE } from "../classes.js";
import type { ClassName, PerClass, Rgb } from "../classes.js";
import type { ChromosomeNaming } from "../data/name-by-area.js";
import type { SegNetConfig } from "../model/config.js";

/** The graph's input: grey / 255, [batch, height, width, 1]. */
export const INPUT_NAME = "grey";
/** The graph's output: class probabilities, [batch, height, width, 4]. */
export const OUTPUT_NAME = "probabilities";

/** How the network's input is made from an image. */
export interface InputContract {
  /** The graph's input tensor: [batch, height, width, 1], float32. */
  layout: "NHWC";
  channels: 1;
  /** Grey value 0–255 → input, in words (model/input.ts's normalizeGrey). */
  normalization: string;
  /** Height and width must be multiples of this; pad bottom and right with 0, crop back after. */
  sizeDivisor: number;
}

/** max |Δ probability| and argmax agreement between tfjs and onnxruntime on the same inputs. */
export interface ParityFigures {
  /** The largest |Δ probability| on the real crops. */
  maxAbsDifference: number;
  /** The same on the random crops (absent in models exported before 3 December 2026, which held both to one limit). */
  noiseMaxAbsDifference?: number;
  /** Fraction 0–1 of pixels whose most probable class agrees. */
  argmaxAgreement: number;
  pixels: number;
  /** What was compared, in words. */
  inputs: string[];
  /** The tfjs backend that gave the reference. */
  tfjsBackend: string;
}

export interface ModelMetadata {
  /** `chromoseg <version>`. */
  producer: string;
  classes: { names: readonly ClassName[]; palette: readonly Rgb[] };
  input: InputContract;
  /** The preset and configuration from the training report (null without one). */
  network: {
    preset: string | null;
    config: SegNetConfig | null;
    parameters: number;
    /** The unpooling switches' ramp width (0: hard), null without `indices` unpooling. */
    switchTolerance: number | null;
    /**
     * Who names chromosomes A and B in the output: `area` for a model trained with the
     * permutation-invariant loss (the engine renames each crop so that A is the smaller).
     * Absent in models exported before it existed: `network`.
     */
    chromosomeNaming?: ChromosomeNaming;
  };
  /** From the training report; null when the model came without one. */
  training: {
    data: { file: string; sha256: string; samples: number };
    /**
     * Which samples were trained on: the split's kind and its seed (the grouped split's choice
     * of pairs), with the sizes of its parts. Absent in models exported before it was recorded.
     */
    split?: { kind: string; seed: number; train: number; validation: number; test: number };
    bestEpoch: number | null;
    validation: { loss: number; pixelAccuracy: number; iou: PerClass; meanIoU: number } | null;
    stopReason: string;
  } | null;
  parity: ParityFigures;
}

const PREFIX = "chromoseg.";
const FIELDS = ["producer", "classes", "input", "network", "training", "parity"] as const;

export function metadataProps(metadata: ModelMetadata): Record<string, string> {
  return Object.fromEntries(FIELDS.map((f) => [PREFIX + f, JSON.stringify(metadata[f])]));
}

/**
 * Reads the metadata back; throws a one-line reason when a field is missing or the model does
 * not segment grey images into chromoseg's four classes.
 */
export function parseMetadata(props: Record<string, string>): ModelMetadata {
  const missing = FIELDS.filter((f) => props[PREFIX + f] === undefined);
  if (missing.length)
    throw new Error(`no chromoseg metadata (${missing.map((f) => PREFIX + f).join(", ")} missing)`);
  let metadata: ModelMetadata;
  try {
    metadata = Object.fromEntries(
      FIELDS.map((f) => [f, JSON.parse(props[PREFIX + f])]),
    ) as unknown as ModelMetadata;
  } catch {
    throw new Error("chromoseg metadata is not valid JSON");
  }
  const names = metadata.classes?.names ?? [];
  if (names.length !== CLASS_NAMES.length || names.some((n, i) => n !== CLASS_NAMES[i]))
    throw new Error(
      `incompatible classes [${names.join(", ")}]; expected [${CLASS_NAMES.join(", ")}]`,
    );
  const divisor = metadata.input?.sizeDivisor;
  if (!Number.isInteger(divisor) || divisor < 1)
    throw new Error(`input size divisor ${String(divisor)} is not a whole number ≥ 1`);
  if (metadata.input.channels !== 1 || metadata.input.layout !== "NHWC")
    throw new Error(
      `incompatible input (${metadata.input?.layout} with ${metadata.input?.channels} channels); expected NHWC grey, 1 channel`,
    );
  return metadata;
}

export function chromosomeNaming(metadata: ModelMetadata): ChromosomeNaming {
  return metadata.network.chromosomeNaming ?? "network";
}

export const CLASS_METADATA: ModelMetadata["classes"] = { names: CLASS_NAMES, palette: PALETTE };
