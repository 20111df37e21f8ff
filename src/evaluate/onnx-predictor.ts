/**
 * An ONNX model as a predictor of dataset samples, for `evaluate`: the same crop mode (and
 * optional test-time augmentation) that segments images.
 */
import type { LabelPredictor } from "./evaluate.js";
import type { OnnxModel } from "../onnx/onnx-model.js";
import { segmentCrops } from "../infer/segment-crops.js";
import type { CropOptions } from "../infer/segment-crops.js";

/** Samples go to the engine this many at a time, so progress moves. */
const CHUNK = 256;

export function onnxPredictor(model: OnnxModel, options: CropOptions = {}): LabelPredictor {
  return async (set, indices, onProgress) => {
    const px = set.height * set.width;
    const labels = new Uint8Array(indices.length * px);
    for (let start = 0; start < indices.length; start += CHUNK) {
      const chosen = Array.from(indices.subarray(start, start + CHUNK));
      const crops = chosen.map((s) => ({
        width: set.width,
        height: set.height,
        data: set.grey.subarray(s * px, (s + 1) * px),
      }));
      const predicted = await segmentCrops(model, crops, options);
      predicted.forEach((l, k) => labels.set(l, (start + k) * px));
      onProgress?.(start + chosen.length, indices.length);
    }
    return labels;
  };
}
