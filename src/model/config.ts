/**
 * SegNet configurations: encoder blocks of (conv 3×3 → batch norm → ReLU) × n, each followed by
 * 2 × 2 max pooling and dropout, mirrored by a decoder that upsamples back to the input size.
 */
import { NUM_CLASSES } from "../classes.js";
import { UserError } from "../errors.js";

/** How the decoder doubles the resolution. */
export type Upsampling = "nearest" | "indices";
export const UPSAMPLINGS: readonly Upsampling[] = ["nearest", "indices"];

export interface SegNetConfig {
  /** Filters of each encoder block, shallowest first; the decoder mirrors them. */
  filters: number[];
  /** 3 × 3 convolutions in each block (same length as `filters`). */
  convs: number[];
  /** Dropout rate after each block (same length as `filters`); the decoder mirrors them. */
  dropout: number[];
  /**
   * `nearest`: repeat each value 2 × 2 (the Keras reference). `indices`: true SegNet, unpool into
   * the positions the encoder's max pooling chose.
   */
  upsampling: Upsampling;
  /**
   * Weight of the old estimate in each training step's update of the batch-norm moving mean and
   * variance, which predictions use (default 0.99, as Keras). After n steps the initial estimate
   * still weighs momentum^n: lower it for runs of a few hundred steps.
   */
  batchNormMomentum?: number;
  /**
   * `indices` only: width of the pooling switches' ramp (see model/unpool.ts); 0 for hard
   * switches, which an ONNX export cannot reproduce within 1e-4.
   * @default SWITCH_TOLERANCE (0.5)
   */
  switchTolerance?: number;
}

export type PresetName = "seed" | "lite";
export const PRESET_NAMES: readonly PresetName[] = ["seed", "lite"];

/**
 * The SegNet reference network (64 / 128 / 256 filters) and a narrow one for machines without a
 * GPU. Both unpool by `indices`: on the same data it trained better than `nearest` (docs/cli.md,
 * `chromoseg train`).
 */
export const SEGNET_PRESETS: Record<PresetName, SegNetConfig> = {
  seed: {
    filters: [64, 128, 256],
    convs: [2, 3, 3],
    dropout: [0.25, 0.5, 0.5],
    upsampling: "indices",
  },
  lite: {
    filters: [16, 32, 64],
    convs: [2, 3, 3],
    dropout: [0.25, 0.5, 0.5],
    upsampling: "indices",
  },
};

/** Height and width of an input must be multiples of this: 2 ^ (number of poolings). */
export function sizeDivisor(config: SegNetConfig): number {
  return 2 ** config.filters.length;
}

/**
 * Multiply-adds of one forward pass over a `height` × `width` input (multiples of
 * `sizeDivisor`): the convolutions, which are nearly all of the work. Mirrors buildSegNet.
 */
export function segnetMultiplyAdds(config: SegNetConfig, height: number, width: number): number {
  const depth = config.filters.length;
  const pixelsAt = (block: number) => (height / 2 ** block) * (width / 2 ** block);
  let channels = 1;
  let total = 0;
  const conv3x3 = (block: number, filters: number) => {
    total += pixelsAt(block) * 9 * channels * filters;
    channels = filters;
  };
  for (let b = 0; b < depth; b++)
    for (let c = 0; c < config.convs[b]; c++) conv3x3(b, config.filters[b]);
  for (let b = depth - 1; b >= 0; b--) {
    for (let c = 0; c < config.convs[b]; c++) {
      const last = c === config.convs[b] - 1 && b > 0;
      conv3x3(b, last ? config.filters[b - 1] : config.filters[b]);
    }
  }
  return total + pixelsAt(0) * channels * NUM_CLASSES;
}

/** Throws a one-line reason when a configuration cannot build a model. */
export function validateConfig(config: SegNetConfig): void {
  const depth = config.filters.length;
  if (depth === 0) throw new UserError("a SegNet needs at least one block (--filters)");
  if (config.convs.length !== depth || config.dropout.length !== depth) {
    throw new UserError(
      `filters, convs and dropout need one value per block: got ${depth} filters, ${config.convs.length} convs, ${config.dropout.length} dropout rates`,
    );
  }
  if (config.filters.some((f) => !Number.isInteger(f) || f < 1))
    throw new UserError("filters must be whole numbers ≥ 1");
  if (config.convs.some((c) => !Number.isInteger(c) || c < 1))
    throw new UserError("convs must be whole numbers ≥ 1");
  if (config.dropout.some((d) => !(d >= 0 && d < 1)))
    throw new UserError("dropout rates must be in [0, 1)");
}
