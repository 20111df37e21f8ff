import { describe, expect, it } from "vitest";
import { scoreSlide } from "../../src/evaluate/score-slide.js";
import type { ReportedSlide } from "../../src/evaluate/score-slide.js";
import { annotation } from "./sample-annotation.js";

const WIDTH = 100;
const HEIGHT = 60;

/** A report with the given count and no chromosomes placed. */
function counted(chromosomeCount: number | null): ReportedSlide {
  return { chromosomeCount, objectOf: new Int32Array(WIDTH * HEIGHT), chromosomesIn: new Map() };
}

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
    const score = scoreSlide(labels, WIDTH, HEIGHT, annotation, counted(44));
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
    expect(scoreSlide(labels, WIDTH, HEIGHT, annotation, counted(null), { radius: 5 }).found).toBe(
      0,
    );
    expect(scoreSlide(labels, WIDTH, HEIGHT, annotation, counted(null), { radius: 6 }).found).toBe(
      1,
    );
  });

  it("has no count error without a reported count", () => {
    expect(
      scoreSlide(new Uint8Array(WIDTH * HEIGHT), WIDTH, HEIGHT, annotation, counted(null))
        .countError,
    ).toBeNull();
  });

  it("counts each annotated clump against the object of the chromosome nearest its point", () => {
    // object 7 (two chromosomes) covers x 30–39 of rows 0–9, object 9 (one) x 60–69
    const objectOf = new Int32Array(WIDTH * HEIGHT);
    for (let y = 0; y < 10; y++)
      for (let x = 0; x < 10; x++) {
        objectOf[y * WIDTH + 30 + x] = 7;
        objectOf[y * WIDTH + 60 + x] = 9;
      }
    const clumps = [
      { x: 35, y: 5, chromosomes: 2 }, // on object 7: right
      { x: 45, y: 5, chromosomes: 3 }, // 6 px from object 7: counted 2
      { x: 75, y: 5, chromosomes: 2 }, // 6 px from object 9: counted 1
      { x: 50, y: 40, chromosomes: 2 }, // nothing within the radius: counted 0
    ];
    const reported = {
      chromosomeCount: null,
      objectOf,
      chromosomesIn: new Map([
        [7, 2],
        [9, 1],
      ]),
    };
    const score = scoreSlide(
      new Uint8Array(WIDTH * HEIGHT),
      WIDTH,
      HEIGHT,
      { ...annotation, clumps },
      reported,
    );
    expect(score.clumps.map((c) => c.counted)).toEqual([2, 2, 1, 0]);
    expect(
      scoreSlide(
        new Uint8Array(WIDTH * HEIGHT),
        WIDTH,
        HEIGHT,
        { ...annotation, clumps },
        reported,
        {
          radius: 5,
        },
      ).clumps.map((c) => c.counted),
    ).toEqual([2, 0, 0, 0]);
  });

  it("takes the nearest object when two lie within the radius", () => {
    const objectOf = new Int32Array(WIDTH * HEIGHT);
    for (let y = 0; y < 10; y++) {
      objectOf[y * WIDTH + 40] = 7;
      objectOf[y * WIDTH + 60] = 9;
    }
    const reported = {
      chromosomeCount: null,
      objectOf,
      chromosomesIn: new Map([
        [7, 2],
        [9, 3],
      ]),
    };
    const at = (x: number) =>
      scoreSlide(
        new Uint8Array(WIDTH * HEIGHT),
        WIDTH,
        HEIGHT,
        { ...annotation, clumps: [{ x, y: 5, chromosomes: 2 }] },
        reported,
        { radius: 15 },
      ).clumps[0].counted;
    expect(at(48)).toBe(2);
    expect(at(53)).toBe(3);
  });
});
