/**
 * Segmentation metrics from a 4 × 4 confusion matrix, pooled over every pixel counted (the
 * papers' IoU), plus per-image IoU.
 */
import { CLASS_NAMES, NUM_CLASSES, byClass } from "../classes.js";
import type { PerClass } from "../classes.js";

export interface SegmentationMetrics {
  /** Intersection over union per class, pooled over all pixels; fractions 0–1 (NaN: class absent). */
  iou: PerClass;
  /** Mean of the four pooled IoUs. */
  meanIoU: number;
  /** Dice (F1) per class, pooled. */
  dice: PerClass;
  pixelAccuracy: number;
  /** confusion[truth][predicted], pixel counts. */
  confusion: number[][];
}

/** Pixel counts by (truth, predicted) label. */
export class Confusion {
  /** Index truth × 4 + predicted. */
  readonly counts = new Float64Array(NUM_CLASSES * NUM_CLASSES);

  add(truth: ArrayLike<number>, predicted: ArrayLike<number>): void {
    for (let i = 0; i < truth.length; i++) this.counts[truth[i] * NUM_CLASSES + predicted[i]]++;
  }

  metrics(): SegmentationMetrics {
    const iou: number[] = [];
    const dice: number[] = [];
    let correct = 0;
    let total = 0;
    for (let c = 0; c < NUM_CLASSES; c++) {
      const { truePositive, falsePositive, falseNegative } = this.classCounts(c);
      iou.push(truePositive / (truePositive + falsePositive + falseNegative));
      dice.push((2 * truePositive) / (2 * truePositive + falsePositive + falseNegative));
      correct += truePositive;
      total += truePositive + falseNegative;
    }
    return {
      iou: byClass(iou),
      meanIoU: iou.reduce((a, b) => a + b, 0) / NUM_CLASSES,
      dice: byClass(dice),
      pixelAccuracy: correct / total,
      confusion: CLASS_NAMES.map((_, t) =>
        Array.from(this.counts.subarray(t * NUM_CLASSES, (t + 1) * NUM_CLASSES)),
      ),
    };
  }

  private classCounts(c: number) {
    let truth = 0;
    let predicted = 0;
    for (let k = 0; k < NUM_CLASSES; k++) {
      truth += this.counts[c * NUM_CLASSES + k];
      predicted += this.counts[k * NUM_CLASSES + c];
    }
    const truePositive = this.counts[c * NUM_CLASSES + c];
    return {
      truePositive,
      falsePositive: predicted - truePositive,
      falseNegative: truth - truePositive,
    };
  }
}

/** Mean IoU of one image over the classes present in its truth or prediction. */
export function imageMeanIoU(truth: ArrayLike<number>, predicted: ArrayLike<number>): number {
  const confusion = new Confusion();
  confusion.add(truth, predicted);
  const values = Object.values(confusion.metrics().iou).filter((v) => !Number.isNaN(v));
  return values.reduce((a, b) => a + b, 0) / values.length;
}
