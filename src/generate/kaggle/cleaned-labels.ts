/**
 * The published "Cleaned" labels (the notebook "Clean Dataset from their spurious pixels",
 * clean_ground_truth with size 1): each of labels 1, 2 and 3 opened with a disk of radius 1,
 * which drops specks and one-pixel slivers, then the opened labels regrown by watershed over the
 * inverted distance map of the labelled pixels (label > 0), so that pixels the opening dropped,
 * and the stray 4s, take the label of the region that reaches them first from the inside. A
 * labelled pixel no opened region reaches (an isolated speck) becomes background.
 */
import { distanceToBackground } from "../../image/distance-transform.js";
import { opening } from "../../image/flat-morphology.js";
import { disk } from "../../image/structuring-element.js";
import { watershed } from "../../image/watershed.js";
import { OVERLAP_LABEL } from "./assemble.js";

const CLASS_LABELS = [1, 2, 3] as const;

/** The cleaned labels of one sample (labels as generated: any whole numbers). */
export function cleanLabels(labels: ArrayLike<number>, width: number, height: number): Uint8Array {
  const size = width * height;
  const mask = new Uint8Array(size);
  for (let i = 0; i < size; i++) mask[i] = labels[i] > 0 ? 1 : 0;
  const seeds = new Uint8Array(size);
  const region = new Uint8Array(size);
  const element = disk(1);
  for (const label of CLASS_LABELS) {
    for (let i = 0; i < size; i++) region[i] = labels[i] === label ? 1 : 0;
    const opened = opening({ width, height, data: region }, element).data;
    for (let i = 0; i < size; i++) if (opened[i]) seeds[i] = label;
  }
  return watershed(invertedDistanceMap(mask, width, height), seeds, mask, width, height);
}

/** Every sample's labels cleaned, in place; returns how many samples lost their overlap. */
export function cleanAllLabels(
  samples: { count: number; width: number; height: number; labels: Int8Array },
  onProgress: (done: number, total: number) => void = () => {},
): number {
  const px = samples.width * samples.height;
  let overlapsLost = 0;
  for (let s = 0; s < samples.count; s++) {
    const labels = samples.labels.subarray(s * px, (s + 1) * px);
    const hadOverlap = labels.includes(OVERLAP_LABEL);
    labels.set(cleanLabels(labels, samples.width, samples.height));
    if (hadOverlap && !labels.includes(OVERLAP_LABEL)) overlapsLost++;
    if ((s + 1) % 256 === 0 || s + 1 === samples.count) onProgress(s + 1, samples.count);
  }
  return overlapsLost;
}

/**
 * The notebook's distanceTransform: 255 on the background and farthest from the object's
 * centre, 0 at the pixel deepest inside, as uint8: trunc((max − d) / max · 255).
 */
function invertedDistanceMap(mask: Uint8Array, width: number, height: number): Uint8Array {
  const distances = distanceToBackground(mask, width, height);
  const deepest = distances.reduce((a, b) => Math.max(a, b), 0);
  if (deepest === 0) return new Uint8Array(mask.length);
  const map = new Uint8Array(distances.length);
  for (let i = 0; i < map.length; i++)
    map[i] = Math.trunc(((deepest - distances[i]) / deepest) * 255);
  return map;
}
