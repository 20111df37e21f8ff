/**
 * Slide mode against point annotations: which annotated crossings it found, which overlap regions
 * it reported where no crossing is, and how far its chromosome count is off, over the slide and
 * clump by clump.
 */
import { OVERLAP } from "../classes.js";
import { componentPixels, labelComponents } from "../image/morphology.js";
import type { AnnotatedClump, AnnotatedPoint, SlideAnnotation } from "./slide-annotations.js";

/** What slide mode reported for a slide, as far as the scoring needs it. */
export interface ReportedSlide {
  /** report.json's chromosomeCount; null when absent. */
  chromosomeCount: number | null;
  /**
   * Slide-sized: the object (report.json's id) whose chromosome covers each pixel, 0 where none
   * (all 0 when no clump is annotated: then it is not read).
   */
  objectOf: Int32Array;
  /** Chromosomes found in each object, by object id. */
  chromosomesIn: ReadonlyMap<number, number>;
}

/** An annotated clump beside the chromosomes slide mode found in the object there. */
export interface ClumpScore extends AnnotatedClump {
  /** 0 when no chromosome lies within the radius of the point. */
  counted: number;
}

/** A connected region of overlap pixels in a slide's labels. */
export interface OverlapRegion {
  /** Centre of its pixels, full-resolution. */
  x: number;
  y: number;
  area: number;
}

export interface SlideScore {
  image: string;
  crossings: number;
  /** Annotated crossings with an overlap pixel within the radius. */
  found: number;
  missed: AnnotatedPoint[];
  overlapRegions: number;
  /** Overlap regions with no annotated crossing (nor uncertain point) within the radius. */
  falseRegions: OverlapRegion[];
  /** Of the false regions, those near a point annotated as touching. */
  falseAtTouching: number;
  /** Reported minus annotated chromosome count; null when either is missing. */
  countError: number | null;
  clumps: ClumpScore[];
}

export interface ScoreOptions {
  /** How near (pixels) an overlap must come to an annotated point. @default 10 */
  radius?: number;
}

export const DEFAULT_RADIUS = 10;

export function scoreSlide(
  labels: Uint8Array,
  width: number,
  height: number,
  annotation: SlideAnnotation,
  reported: ReportedSlide,
  options: ScoreOptions = {},
): SlideScore {
  const radius = options.radius ?? DEFAULT_RADIUS;
  const mask = labels.map((label) => (label === OVERLAP ? 1 : 0));
  const { labels: regionOf, count } = labelComponents(mask, width, height);
  const regions = componentPixels(regionOf, count);
  const near = (pixels: number[], points: readonly AnnotatedPoint[]) =>
    points.some((point) => pixels.some((p) => distance(p, width, point) <= radius));

  const found = annotation.crossings.filter((point) =>
    near(overlapAround(regionOf, width, height, point, radius), [point]),
  );
  const excusing = [...annotation.crossings, ...(annotation.uncertain ?? [])];
  const falseRegions: OverlapRegion[] = [];
  let falseAtTouching = 0;
  for (const pixels of regions) {
    if (near(pixels, excusing)) continue;
    falseRegions.push(centre(pixels, width));
    if (near(pixels, annotation.touching ?? [])) falseAtTouching++;
  }
  return {
    image: annotation.image,
    crossings: annotation.crossings.length,
    found: found.length,
    missed: annotation.crossings.filter((point) => !found.includes(point)),
    overlapRegions: count,
    falseRegions,
    falseAtTouching,
    countError:
      reported.chromosomeCount === null || annotation.chromosomeCount === undefined
        ? null
        : reported.chromosomeCount - annotation.chromosomeCount,
    clumps: (annotation.clumps ?? []).map((clump) => {
      const object = nearestObject(reported.objectOf, width, height, clump, radius);
      return { ...clump, counted: reported.chromosomesIn.get(object) ?? 0 };
    }),
  };
}

/** The object of the chromosome pixel nearest to `point` within `radius`; 0 when there is none. */
function nearestObject(
  objectOf: Int32Array,
  width: number,
  height: number,
  point: AnnotatedPoint,
  radius: number,
): number {
  let nearest = 0;
  let best = Infinity;
  for (const p of pixelsAround(width, height, point, radius)) {
    const d = distance(p, width, point);
    if (objectOf[p] && d <= radius && d < best) {
      best = d;
      nearest = objectOf[p];
    }
  }
  return nearest;
}

/** Overlap pixels in the square of half-side `radius` around `point`. */
function overlapAround(
  regionOf: Int32Array,
  width: number,
  height: number,
  point: AnnotatedPoint,
  radius: number,
): number[] {
  return pixelsAround(width, height, point, radius).filter((p) => regionOf[p]);
}

/** The slide's pixels in the square of half-side `radius` around `point`. */
function pixelsAround(
  width: number,
  height: number,
  point: AnnotatedPoint,
  radius: number,
): number[] {
  const pixels: number[] = [];
  for (
    let y = Math.max(0, Math.floor(point.y - radius));
    y <= Math.min(height - 1, point.y + radius);
    y++
  )
    for (
      let x = Math.max(0, Math.floor(point.x - radius));
      x <= Math.min(width - 1, point.x + radius);
      x++
    )
      pixels.push(y * width + x);
  return pixels;
}

function distance(pixel: number, width: number, point: AnnotatedPoint): number {
  const x = pixel % width;
  return Math.hypot(x - point.x, (pixel - x) / width - point.y);
}

function centre(pixels: number[], width: number): OverlapRegion {
  let sx = 0;
  let sy = 0;
  for (const p of pixels) {
    sx += p % width;
    sy += Math.floor(p / width);
  }
  return {
    x: Math.round(sx / pixels.length),
    y: Math.round(sy / pixels.length),
    area: pixels.length,
  };
}
