/**
 * Slide mode: a whole metaphase image → a label map at full resolution. The chromosome finder of
 * the generator picks out the objects; nuclei and debris are skipped; every other object (single,
 * cluster, or cut by the border) is cut out as the generator cuts chromosomes (background-
 * corrected grey inside its mask), brought to the training resolution by the same decimation
 * (÷ 2), segmented in crop mode, and its labels scaled back ×2 into its mask. An unbranched rod
 * the finder accepted is one chromosome without asking the model (see `isRod`).
 */
import type { ClassName } from "../classes.js";
import { NUM_CLASSES, OVERLAP, byClass } from "../classes.js";
import { findChromosomes } from "../image/find-chromosomes.js";
import type { Chromosome, ObjectKind, SlideObject } from "../image/find-chromosomes.js";
import { cropPlane, positiveBox } from "../image/crop.js";
import { decimatePlane } from "../image/decimate.js";
import type { GreyImage } from "../image/grey-image.js";
import type { Box } from "../image/morphology.js";
import type { OnnxModel } from "../onnx/onnx-model.js";
import { instanceLabels, objectInstances, wholeObject } from "./chromosome-instances.js";
import type { ObjectInstance } from "./chromosome-instances.js";
import { segmentCrops } from "./segment-crops.js";
import type { CropOptions } from "./segment-crops.js";

/** Black border around each decimated object, as a chromosome has in a training sample. */
const MARGIN = 8;

/**
 * An object counts as overlapping when at least this fraction of it is labelled overlap: a real
 * crossing covers 5–15 % of the pair, while a few stray overlap pixels on the rim of a single
 * chromosome stay well under 2 %.
 */
export const OVERLAP_FRACTION = 0.02;

const SKIPPED: readonly ObjectKind[] = ["nucleus", "debris"];

/** A chromosome has at least this fraction of the slide's median chromosome area. */
const MIN_CHROMOSOME_FRACTION = 0.25;

/**
 * Who counts an object's chromosomes: `shape` for an unbranched rod the finder accepted (one
 * chromosome, the model not run), `model` for the rest.
 */
export type DecidedBy = "shape" | "model";

export interface SlideObjectReport {
  /** The finder's id, 1-based in scan order. */
  id: number;
  /** What the finder took it for (cluster: several chromosomes touching or crossing). */
  kind: ObjectKind;
  /** Full-resolution pixels, x1 and y1 exclusive. */
  box: Box;
  area: number;
  /** Nuclei and debris are not segmented. */
  segmented: boolean;
  /** Overlap covers at least OVERLAP_FRACTION of the object (null when not segmented). */
  overlapping: boolean | null;
  /** Full-resolution pixels per predicted class inside the object (null when not segmented). */
  pixels: Record<ClassName, number> | null;
  /** Chromosomes found in it (absent when not segmented). */
  chromosomes?: number;
  /** Who counted its chromosomes (absent when not segmented). */
  decidedBy?: DecidedBy;
  /** Two chromosomes whose crossing was separated (absent when not segmented). */
  crossingResolved?: boolean;
  /** Why its chromosomes could not be told apart; null when they could (absent when not segmented). */
  unresolved?: string | null;
}

/** One chromosome of a slide, with its whole mask through any crossing. */
export interface ChromosomeInstance {
  /** 1, 2, … over the slide. */
  id: number;
  /** The finder's object it lies in. */
  objectId: number;
  /** Full-resolution, x1 and y1 exclusive; the mask is box-sized. */
  box: Box;
  /** 1 inside the chromosome. */
  mask: Uint8Array;
  area: number;
  /** Ids of the chromosomes it crosses (shares pixels with). */
  overlaps: number[];
}

export interface SlideSegmentation {
  /** Labels 0–3, slide-sized. */
  labels: Uint8Array;
  objects: SlideObjectReport[];
  /** Every chromosome of the segmented objects. */
  instances: ChromosomeInstance[];
  /** The slide's chromosomes: nuclei and debris excluded. */
  chromosomeCount: number;
  /** Milliseconds spent finding objects. */
  findMs: number;
}

export async function segmentSlide(
  model: OnnxModel,
  slide: GreyImage,
  options: CropOptions = {},
): Promise<SlideSegmentation> {
  const started = performance.now();
  const found = findChromosomes(slide);
  const findMs = performance.now() - started;
  const chosen: Chosen[] = found.objects.flatMap((object, k) =>
    SKIPPED.includes(object.kind) ? [] : [{ object, cut: found.cutOuts[k] }],
  );
  // a part of a channel smaller than this is no chromosome (the finder's median is the typical one)
  const minArea = found.medianArea * MIN_CHROMOSOME_FRACTION;
  const separations = await separate(model, chosen, minArea, options);
  const labels = new Uint8Array(slide.width * slide.height);
  const reports = new Map<number, SlideObjectReport>();
  const instances: ChromosomeInstance[] = [];
  chosen.forEach(({ object, cut }, k) => {
    const { parts, decidedBy } = separations[k];
    const counts = paint(
      labels,
      slide.width,
      object.box,
      cut,
      instanceLabels(parts, cut.mask.length),
    );
    const placed = parts.map((part, n) =>
      placeInstance(part, instances.length + n + 1, object, cut),
    );
    linkOverlaps(placed);
    instances.push(...placed);
    const overlapping = counts[OVERLAP] >= OVERLAP_FRACTION * object.area;
    reports.set(object.id, {
      ...objectSummary(object),
      segmented: true,
      overlapping,
      pixels: byClass(counts),
      chromosomes: parts.length,
      decidedBy,
      crossingResolved: overlapping && parts.length === 2,
      unresolved: unresolvedReason(object.kind, parts.length, overlapping),
    });
  });
  const objects = found.objects.map(
    (o) =>
      reports.get(o.id) ?? {
        ...objectSummary(o),
        segmented: false,
        overlapping: null,
        pixels: null,
      },
  );
  return {
    labels,
    objects,
    instances,
    chromosomeCount: instances.length,
    findMs,
  };
}

interface Chosen {
  object: SlideObject;
  cut: Chromosome;
}

interface Separation {
  /** Smallest first. */
  parts: ObjectInstance[];
  decidedBy: DecidedBy;
}

/** Each object's chromosomes: a rod as it is, the others as the model separates them. */
async function separate(
  model: OnnxModel,
  chosen: Chosen[],
  minArea: number,
  options: CropOptions,
): Promise<Separation[]> {
  const modelled = chosen.filter(({ object }) => !isRod(object));
  const frames = modelled.map(({ cut }) => framed(decimatePlane(cut.grey, cut.width, cut.height)));
  const frameLabels = await segmentCrops(model, frames, options);
  let k = 0;
  return chosen.map(({ object, cut }) => {
    if (isRod(object)) return { parts: [wholeObject(cut.mask)], decidedBy: "shape" };
    const predicted = fullResolution(frameLabels[k], frames[k].width, cut);
    const parts = objectInstances(predicted, cut.mask, cut.width, cut.height, minArea);
    k++;
    return { parts, decidedBy: "model" };
  });
}

/** Writes an object's labels into the slide's inside its mask; returns the pixels per class. */
function paint(
  labels: Uint8Array,
  slideWidth: number,
  box: Box,
  cut: Chromosome,
  objectLabels: Uint8Array,
): number[] {
  const counts = new Array<number>(NUM_CLASSES).fill(0);
  for (let y = 0; y < cut.height; y++) {
    for (let x = 0; x < cut.width; x++) {
      if (!cut.mask[y * cut.width + x]) continue;
      const label = objectLabels[y * cut.width + x];
      labels[(box.y0 + y) * slideWidth + box.x0 + x] = label;
      counts[label]++;
    }
  }
  return counts;
}

/**
 * An object the finder accepted as one chromosome whose skeleton has at most two ends. Two
 * chromosomes that cross have four ends (three where one ends on the other) and the finder calls
 * them a cluster; within a rod the pair model errs the other way, cutting long chromosomes in two
 * and marking bright bands and centromeres as overlap (docs/accuracy.md, "On real slides"). Missed
 * this way: two chromosomes lying end to end, or overlapping only at their ends.
 */
function isRod(object: SlideObject): boolean {
  return object.kind === "accepted" && object.endpoints !== null && object.endpoints <= 2;
}

/** A frame's labels (decimated, with MARGIN) at the object's full resolution, box-sized. */
function fullResolution(
  frameLabels: Uint8Array,
  frameWidth: number,
  cut: { width: number; height: number },
): Uint8Array {
  const labels = new Uint8Array(cut.width * cut.height);
  for (let y = 0; y < cut.height; y++)
    for (let x = 0; x < cut.width; x++)
      labels[y * cut.width + x] = frameLabels[(MARGIN + (y >> 1)) * frameWidth + MARGIN + (x >> 1)];
  return labels;
}

/** Why an object's chromosomes could not be told apart, or null when they could. */
function unresolvedReason(
  kind: ObjectKind,
  chromosomes: number,
  overlapping: boolean,
): string | null {
  if (chromosomes > 2)
    return `${chromosomes} chromosomes in one object: the pair model separates two at a time, check by hand`;
  if (kind === "cluster" && chromosomes === 1)
    return "the finder saw several chromosomes, the model one: check by hand";
  if (overlapping && chromosomes < 2) return "an overlap within one chromosome: check by hand";
  return null;
}

/** An object's instance in slide coordinates, cropped to its own box. */
function placeInstance(
  part: ObjectInstance,
  id: number,
  object: { id: number; box: Box },
  cut: { width: number; height: number },
): ChromosomeInstance {
  const box = positiveBox(part.mask, cut.width, cut.height)!;
  return {
    id,
    objectId: object.id,
    box: {
      x0: object.box.x0 + box.x0,
      y0: object.box.y0 + box.y0,
      x1: object.box.x0 + box.x1,
      y1: object.box.y0 + box.y1,
    },
    mask: cropPlane(part.mask, cut.width, box),
    area: part.area,
    overlaps: [],
  };
}

/** Records which instances of one object share pixels. */
function linkOverlaps(instances: ChromosomeInstance[]): void {
  for (const a of instances)
    for (const b of instances) if (a !== b && sharePixels(a, b)) a.overlaps.push(b.id);
}

function sharePixels(a: ChromosomeInstance, b: ChromosomeInstance): boolean {
  const x0 = Math.max(a.box.x0, b.box.x0);
  const x1 = Math.min(a.box.x1, b.box.x1);
  const y0 = Math.max(a.box.y0, b.box.y0);
  const y1 = Math.min(a.box.y1, b.box.y1);
  const at = (i: ChromosomeInstance, x: number, y: number) =>
    i.mask[(y - i.box.y0) * (i.box.x1 - i.box.x0) + x - i.box.x0];
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++) if (at(a, x, y) && at(b, x, y)) return true;
  return false;
}

function objectSummary(o: { id: number; kind: ObjectKind; box: Box; area: number }) {
  return { id: o.id, kind: o.kind, box: o.box, area: o.area };
}

/** The plane with MARGIN black pixels on every side. */
function framed(plane: { width: number; height: number; data: Uint8Array }): GreyImage {
  const width = plane.width + 2 * MARGIN;
  const height = plane.height + 2 * MARGIN;
  const data = new Uint8Array(width * height);
  for (let y = 0; y < plane.height; y++)
    data.set(
      plane.data.subarray(y * plane.width, (y + 1) * plane.width),
      (y + MARGIN) * width + MARGIN,
    );
  return { width, height, data };
}
