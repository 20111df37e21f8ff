import { describe, expect, it } from "vitest";
import { Confusion, imageMeanIoU } from "../../src/train/metrics.js";

describe("segmentation metrics", () => {
  it("pools IoU, Dice and accuracy over every pixel", () => {
    const truth = [0, 0, 0, 1, 1, 2, 2, 3];
    const predicted = [0, 0, 1, 1, 1, 2, 3, 3];
    const confusion = new Confusion();
    confusion.add(truth, predicted);
    const m = confusion.metrics();
    expect(m.iou).toEqual({
      background: 2 / 3,
      chromosomeA: 2 / 3,
      chromosomeB: 1 / 2,
      overlap: 1 / 2,
    });
    expect(m.dice.chromosomeA).toBeCloseTo(0.8);
    expect(m.pixelAccuracy).toBe(6 / 8);
    expect(m.meanIoU).toBeCloseTo((2 / 3 + 2 / 3 + 1 / 2 + 1 / 2) / 4);
    expect(m.confusion[0]).toEqual([2, 1, 0, 0]);
  });

  it("averages a single image's IoU over the classes it shows", () => {
    expect(imageMeanIoU([0, 0, 1, 1], [0, 0, 1, 1])).toBe(1);
    expect(imageMeanIoU([0, 0, 1, 1], [0, 1, 1, 1])).toBeCloseTo((1 / 2 + 2 / 3) / 2);
  });
});
