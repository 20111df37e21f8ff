import { describe, expect, it } from "vitest";
import { scoreSlide } from "../../src/evaluate/score-slide.js";
import { annotation } from "./sample-annotation.js";

const WIDTH = 100;
const HEIGHT = 60;

/** A slide's labels with 3 × 3 overlap squares centred on the given points. */
function labelsWithOverlaps(...centres: [number, number][]): Uint8Array {
  const labels = new Uint8Array(WIDTH * HEIGHT);
  for (const [cx, cy] of centres)
    for (let y = cy - 1; y <= cy + 1; y++)
      for (let x = cx - 1; x <= cx + 1; x++) labels[y * WIDTH + x] = 3;
  return labels;
}

describe("scoring a slide against point annotations", () => {
  it("finds crossings within the radius, and counts overlap regions away from every point as false", () => {
    // (27, 20): 6 px from the first crossing's point; (50, 48): a false one at the touching point;
    // (12, 50): at the uncertain point, excused; (70, 40): false, near nothing.
    const labels = labelsWithOverlaps([27, 20], [50, 48], [12, 50], [70, 40]);
    const score = scoreSlide(labels, WIDTH, HEIGHT, annotation, 44);
    expect(score.found).toBe(1);
    expect(score.missed).toEqual([{ x: 80, y: 20 }]);
    expect(score.overlapRegions).toBe(4);
    // in scan order, top row first
    expect(score.falseRegions).toEqual([
      { x: 70, y: 40, area: 9 },
      { x: 50, y: 48, area: 9 },
    ]);
    expect(score.falseAtTouching).toBe(1);
    expect(score.countError).toBe(-2);
  });

  it("takes the radius it is given", () => {
    const labels = labelsWithOverlaps([27, 20]);
    expect(scoreSlide(labels, WIDTH, HEIGHT, annotation, null, { radius: 5 }).found).toBe(0);
    expect(scoreSlide(labels, WIDTH, HEIGHT, annotation, null, { radius: 6 }).found).toBe(1);
  });

  it("has no count error without a reported count", () => {
    expect(
      scoreSlide(new Uint8Array(WIDTH * HEIGHT), WIDTH, HEIGHT, annotation, null).countError,
    ).toBeNull();
  });
});
