/**
 * Step 5 of the published dataset's recipe (docs/dataset-recipe.md): which objects become its
 * chromosomes. Every object is centred in one frame; objects are keyed by area, so of two with the
 * same area the later one is kept; every 4th distinct area from the smallest is taken, and each
 * taken chromosome is halved by keeping every second row and column of its centred frame.
 */
import { UserError } from "../../errors.js";
import { decimatePlane } from "../../image/decimate.js";
import type { Chromosome } from "../../image/find-chromosomes.js";
import { centringOffset } from "../../image/centre.js";
import { largestSize } from "./labelled-image.js";
import type { KaggleObject } from "./slide.js";

/** Every SELECTION_STEP-th distinct area is kept (`[::4]`). */
const SELECTION_STEP = 4;

/**
 * A selected chromosome: its object centred in the common frame, then decimated. `width` ×
 * `height` is ceil(frame / 2), the same for all; `grey` holds the object's grey values, 0 around
 * it; `mask` is 1 where grey > 0 (the recipe's mask, not the segmentation's); `area` counts the
 * grey > 0 pixels before decimation, the selection key.
 */
export interface KaggleChromosome extends Chromosome {
  /** Pixels with grey > 0 after decimation (the sum of `mask`). */
  decimatedArea: number;
}

/** What step 5 found, for the preset's report. */
export interface KaggleSelectionFindings {
  /** Objects segmented (46 on the published slide). */
  objects: number;
  /** Distinct areas among them (45). */
  distinctAreas: number;
  /** Ids of the objects a later object of the same area replaced. */
  replaced: number[];
  /** The kept chromosomes' areas, ascending (12 of them). */
  keptAreas: number[];
  /** Their areas after decimation. */
  decimatedAreas: number[];
  /** The common frame: the largest object height and the largest object width. */
  frame: { width: number; height: number };
}

/** Step 5: the chromosomes in ascending order of area, and what the step found. */
export function selectKaggleChromosomes(objects: KaggleObject[]): {
  chromosomes: KaggleChromosome[];
  findings: KaggleSelectionFindings;
} {
  const frame = largestSize(
    objects.map(({ box }) => ({ width: box.x1 - box.x0, height: box.y1 - box.y0 })),
  );
  const byArea = new Map<number, KaggleObject>();
  for (const o of objects) byArea.set(o.area, o);
  const areas = [...byArea.keys()].sort((a, b) => a - b);
  const kept = areas.filter((_, k) => k % SELECTION_STEP === 0).map((a) => byArea.get(a)!);
  const chromosomes = kept.map((o) => decimated(o, centred(o, frame), frame));
  return {
    chromosomes,
    findings: {
      objects: objects.length,
      distinctAreas: areas.length,
      replaced: objects.filter((o) => byArea.get(o.area) !== o).map((o) => o.id),
      keptAreas: chromosomes.map((c) => c.area),
      decimatedAreas: chromosomes.map((c) => c.decimatedArea),
      frame,
    },
  };
}

/**
 * The object's grey cut-out in a frame.width × frame.height frame of zeros, placed at
 * (round(Δwidth / 2), round(Δheight / 2)) with Python 3's round: halves go to the even integer.
 */
export function centred(
  object: KaggleObject,
  frame: { width: number; height: number },
): Uint8Array {
  const width = object.box.x1 - object.box.x0;
  const height = object.box.y1 - object.box.y0;
  const left = centringOffset(width, frame.width);
  const top = centringOffset(height, frame.height);
  const out = new Uint8Array(frame.width * frame.height);
  for (let y = 0; y < height; y++)
    out.set(object.grey.subarray(y * width, (y + 1) * width), (top + y) * frame.width + left);
  return out;
}

function decimated(
  object: KaggleObject,
  frameGrey: Uint8Array,
  frame: { width: number; height: number },
): KaggleChromosome {
  const { width, height, data: grey } = decimatePlane(frameGrey, frame.width, frame.height);
  const mask = grey.map((v) => (v > 0 ? 1 : 0));
  const decimatedArea = mask.reduce((sum, v) => sum + v, 0);
  if (decimatedArea === 0)
    throw new UserError(
      `step 5: the kept chromosome of object ${object.id} (area ${object.area}) has no pixel left after decimation`,
    );
  return { id: object.id, width, height, grey, mask, area: object.area, decimatedArea };
}
