/**
 * Finds single chromosomes on a metaphase image: background subtraction, Otsu threshold,
 * 8-connected components with holes filled, then shape tests that reject what is not one whole
 * chromosome.
 */
import { maskedCrop } from "./crop.js";
import type { GreyImage } from "./grey-image.js";
import type { Box } from "./morphology.js";
import {
  componentBoxes,
  convexHullArea,
  fillHoles,
  labelComponents,
  otsuThreshold,
  perimeter,
  pruneSpurs,
  thin,
} from "./morphology.js";
import { boxBlur3, subtractBackground } from "./background.js";

/** Why an object was not taken as a single chromosome, or `accepted`. */
export type ObjectKind = "accepted" | "nucleus" | "debris" | "cluster" | "border";
export const OBJECT_KINDS: readonly ObjectKind[] = [
  "accepted",
  "nucleus",
  "debris",
  "cluster",
  "border",
];

/** One connected object of the thresholded slide, with the measurements that classified it. */
export interface SlideObject {
  /** 1-based, in scan order of the slide. */
  id: number;
  kind: ObjectKind;
  /** Pixels, holes filled. */
  area: number;
  box: Box;
  /** Mean background-corrected grey value, 0–255. */
  meanGrey: number;
  /** Area over convex hull area, 0–1: about 0.8–1 for a straight chromosome, lower for a cross. */
  solidity: number;
  /** 4π area / perimeter², 1 for a disc. */
  circularity: number;
  /**
   * Skeleton endpoints after pruning short spurs: 2 for a rod, 3 or more for a branching cluster.
   * null where position or area alone decided the kind (border, debris, nucleus, a cluster by
   * area): thinning a nucleus is the slowest step of the finder, and nothing needs it.
   */
  endpoints: number | null;
}

/** A single chromosome cut out of its slide: background-corrected grey inside its mask, 0 outside. */
export interface Chromosome {
  /** The slide object's id. */
  id: number;
  width: number;
  height: number;
  /** width × height grey values, 0 outside the mask. */
  grey: Uint8Array;
  /** width × height, 1 inside the chromosome. */
  mask: Uint8Array;
  area: number;
}

export interface FindResult {
  objects: SlideObject[];
  /** Slide-sized: each pixel's object id, 0 for background (objects under 8 pixels included). */
  labels: Int32Array;
  /** The accepted objects cut out of the slide. */
  chromosomes: Chromosome[];
  /** Every object cut out of the slide, in the order of `objects` (`id` is the object's). */
  cutOuts: Chromosome[];
  threshold: number;
  /** Median area of the objects that were neither debris nor on the border: the size scale of the tests. */
  medianArea: number;
}

/** Thresholds of the shape tests, as multiples of the median object area unless stated. */
export interface FindOptions {
  /** Below this fraction of the median area: debris. Default 0.12. */
  debrisArea?: number;
  /**
   * Above this many median areas and convex (solidity ≥ 0.85): nucleus. Default 2.5, the cluster
   * size: chromosomes lying across or along each other leave concave gaps, a nucleus does not.
   */
  nucleusArea?: number;
  /** Above this many median areas: a cluster of chromosomes. Default 2.5. */
  clusterArea?: number;
  /** Below this solidity with 3 or more skeleton endpoints: a cluster. Default 0.75. */
  clusterSolidity?: number;
}

/** Fraction of the brightest pixels clipped in the first pass, which looks for nuclei. */
const CLIP_FRACTION = 0.02;

/**
 * The first pass leaves out of the threshold's histogram only nuclei above this many median
 * areas: the big ones whose glow pulls the threshold up. (The datasets' bytes depend on it.)
 */
const GLARING_NUCLEUS_AREA = 5;

/** Pixels around a nucleus's box left out of the threshold's histogram: its glow. */
const NUCLEUS_GLOW = 32;

/** Pixels an object must have to be measured at all: smaller specks are noise, not objects. */
const MIN_PIXELS = 8;

export function findChromosomes(slide: GreyImage, options: FindOptions = {}): FindResult {
  const corrected = subtractBackground(slide);
  const smooth = boxBlur3(corrected);
  // Interphase nuclei can be three times as bright as chromosomes; left in Otsu's histogram they
  // pull the threshold up to where only chromosome cores pass (seen on jpp21-m1). A first pass
  // on a histogram with the brightest pixels clipped finds them; the threshold that counts is
  // Otsu's on the pixels outside them.
  const first = segment(
    smooth,
    corrected,
    otsuThreshold(clippedHistogram(smooth.data, CLIP_FRACTION)),
    { ...options, nucleusArea: GLARING_NUCLEUS_AREA },
  );
  const { width, height } = slide;
  const outsideNuclei = new Uint8Array(width * height).fill(1);
  for (const nucleus of first.objects.filter((o) => o.kind === "nucleus")) {
    // the box, grown by the width of a nucleus's glow
    const { x0, y0, x1, y1 } = nucleus.box;
    for (let y = Math.max(0, y0 - NUCLEUS_GLOW); y < Math.min(height, y1 + NUCLEUS_GLOW); y++) {
      outsideNuclei.fill(
        0,
        y * width + Math.max(0, x0 - NUCLEUS_GLOW),
        y * width + Math.min(width, x1 + NUCLEUS_GLOW),
      );
    }
  }
  const histogram = new Int32Array(256);
  for (let i = 0; i < smooth.data.length; i++) if (outsideNuclei[i]) histogram[smooth.data[i]]++;
  const { objects, labels, crops, medianArea, threshold } = segment(
    smooth,
    corrected,
    otsuThreshold(histogram),
    options,
  );
  const cutOuts = crops.map((crop) => cutOut(crop, corrected));
  const chromosomes = cutOuts.filter((_, k) => objects[k].kind === "accepted");
  return { objects, labels, chromosomes, cutOuts, threshold, medianArea };
}

interface Segmentation {
  objects: SlideObject[];
  /** The crop of each object, in the same order. */
  crops: ComponentCrop[];
  labels: Int32Array;
  medianArea: number;
  threshold: number;
}

function segment(
  smooth: GreyImage,
  corrected: GreyImage,
  threshold: number,
  options: FindOptions,
): Segmentation {
  const { width, height } = smooth;
  const mask = new Uint8Array(width * height);
  for (let i = 0; i < mask.length; i++) mask[i] = smooth.data[i] >= threshold ? 1 : 0;
  const { labels, count } = labelComponents(mask, width, height);
  const crops = cropComponents(labels, count, width, height).filter((c) => c.area >= MIN_PIXELS);
  const interior = crops.filter((c) => !touchesBorder(c.box, width, height));
  const medianArea = median(interior.map((c) => c.area)) || 1;
  const spur = Math.max(3, Math.round(0.25 * Math.sqrt(medianArea)));
  const objects = crops.map((crop): SlideObject => {
    const measured = measure(crop, corrected, width);
    const onBorder = touchesBorder(crop.box, width, height);
    return { ...measured, ...classify(measured, crop, medianArea, spur, onBorder, options) };
  });
  return { objects, crops, labels, medianArea, threshold };
}

/**
 * A nucleus is one wherever it lies (slide mode skips it, even cut by the border); then the
 * border (a small piece there is a cut chromosome more often than debris), size, and shape. The
 * skeleton's endpoints are measured only for the shape test.
 */
function classify(
  o: Measurements,
  crop: ComponentCrop,
  medianArea: number,
  spur: number,
  onBorder: boolean,
  options: FindOptions,
): Pick<SlideObject, "kind" | "endpoints"> {
  const byArea = (kind: ObjectKind) => ({ kind, endpoints: null });
  if (o.area > (options.nucleusArea ?? 2.5) * medianArea && o.solidity >= 0.85)
    return byArea("nucleus");
  if (onBorder) return byArea("border");
  if (o.area < (options.debrisArea ?? 0.12) * medianArea) return byArea("debris");
  if (o.area > (options.clusterArea ?? 2.5) * medianArea) return byArea("cluster");
  const endpoints = skeletonEndpoints(crop, spur);
  const branching = endpoints >= 3 && o.solidity < (options.clusterSolidity ?? 0.75);
  return { kind: branching ? "cluster" : "accepted", endpoints };
}

interface ComponentCrop {
  id: number;
  box: Box;
  /** (box width) × (box height), holes filled. */
  mask: Uint8Array;
  area: number;
}

function cropComponents(
  labels: Int32Array,
  count: number,
  width: number,
  height: number,
): ComponentCrop[] {
  const boxes = componentBoxes(labels, count, width, height);
  const crops: ComponentCrop[] = [];
  for (let id = 1; id <= count; id++) {
    const box = boxes[id - 1];
    const w = box.x1 - box.x0;
    const h = box.y1 - box.y0;
    const mask = new Uint8Array(w * h);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++)
        mask[y * w + x] = labels[(box.y0 + y) * width + box.x0 + x] === id ? 1 : 0;
    }
    fillHoles(mask, w, h);
    let area = 0;
    for (const v of mask) area += v;
    crops.push({ id, box, mask, area });
  }
  return crops;
}

function touchesBorder(box: Box, width: number, height: number): boolean {
  return box.x0 === 0 || box.y0 === 0 || box.x1 === width || box.y1 === height;
}

type Measurements = Omit<SlideObject, "kind" | "endpoints">;

/** Everything but the endpoints, which `classify` measures when it needs them. */
function measure(crop: ComponentCrop, corrected: GreyImage, slideWidth: number): Measurements {
  const { box, mask, area } = crop;
  const w = box.x1 - box.x0;
  const h = box.y1 - box.y0;
  let sum = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++)
      if (mask[y * w + x]) sum += corrected.data[(box.y0 + y) * slideWidth + box.x0 + x];
  }
  const p = perimeter(mask, w, h);
  return {
    id: crop.id,
    area,
    box,
    meanGrey: sum / area,
    solidity: area / Math.max(area, convexHullArea(mask, w, h)),
    circularity: (4 * Math.PI * area) / (p * p),
  };
}

function skeletonEndpoints({ box, mask }: ComponentCrop, spur: number): number {
  const w = box.x1 - box.x0;
  const h = box.y1 - box.y0;
  const skeleton = mask.slice();
  thin(skeleton, w, h);
  return pruneSpurs(skeleton, w, h, spur);
}

function cutOut(crop: ComponentCrop, corrected: GreyImage): Chromosome {
  const { box, mask, area, id } = crop;
  const grey = maskedCrop(corrected, box, mask);
  return { id, width: box.x1 - box.x0, height: box.y1 - box.y0, grey, mask, area };
}

/** Histogram of `values` with the brightest `fraction` of pixels moved down to the value where they start. */
function clippedHistogram(values: Uint8Array, fraction: number): Int32Array {
  const histogram = new Int32Array(256);
  for (const v of values) histogram[v]++;
  let above = 0;
  let clip = 255;
  while (clip > 0 && above + histogram[clip] <= values.length * fraction)
    above += histogram[clip--];
  for (let v = clip + 1; v < 256; v++) {
    histogram[clip] += histogram[v];
    histogram[v] = 0;
  }
  return histogram;
}

function median(values: number[]): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
