/**
 * Overlapping pairs: one chromosome pose placed over another, grey values summed, labelled
 * 1 (the smaller chromosome by area), 2 (the larger) and 3 (overlap), centred in the frame.
 */
import { SAMPLE_FRAME } from "../data/samples.js";
import type { Pose } from "./pose.js";

const { height: FRAME_HEIGHT, width: FRAME_WIDTH } = SAMPLE_FRAME;

/** Where pose `b` lies relative to pose `a`: the offset of b's top-left corner from a's. */
export interface Placement {
  dx: number;
  dy: number;
}

/** Whether `b` placed over `a` fits the frame with a free pixel on every side. */
export function fitsFrame(a: Pose, b: Pose, { dx, dy }: Placement): boolean {
  const unionWidth = Math.max(a.width, dx + b.width) - Math.min(0, dx);
  const unionHeight = Math.max(a.height, dy + b.height) - Math.min(0, dy);
  return unionWidth <= FRAME_WIDTH - 2 && unionHeight <= FRAME_HEIGHT - 2;
}

/** Pixels covered by both `a` and `b` placed over it. */
export function overlapCount(a: Pose, b: Pose, { dx, dy }: Placement): number {
  let n = 0;
  const y0 = Math.max(0, dy);
  const y1 = Math.min(a.height, dy + b.height);
  const x0 = Math.max(0, dx);
  const x1 = Math.min(a.width, dx + b.width);
  for (let y = y0; y < y1; y++) {
    const rowA = y * a.width;
    const rowB = (y - dy) * b.width - dx;
    for (let x = x0; x < x1; x++) n += a.mask[rowA + x] & b.mask[rowB + x];
  }
  return n;
}

/**
 * Draws `a` and `b` (placed by `placement`) centred into one frame-sized sample: grey summed,
 * times `overlapGain` where both lie, and clipped at 255; labels 1 for the smaller pose, 2 for the
 * larger, 3 where both lie. Returns true when `a` got label 1.
 */
export function composeSample(
  a: Pose,
  b: Pose,
  placement: Placement,
  grey: Uint8Array,
  labels: Uint8Array,
  overlapGain = 1,
): boolean {
  grey.fill(0);
  labels.fill(0);
  const { dx, dy } = placement;
  const left = Math.min(0, dx);
  const top = Math.min(0, dy);
  const unionWidth = Math.max(a.width, dx + b.width) - left;
  const unionHeight = Math.max(a.height, dy + b.height) - top;
  const originX = Math.floor((FRAME_WIDTH - unionWidth) / 2) - left;
  const originY = Math.floor((FRAME_HEIGHT - unionHeight) / 2) - top;
  const aIsSmaller = a.area <= b.area;
  draw(a, originX, originY, aIsSmaller ? 1 : 2, grey, labels);
  draw(b, originX + dx, originY + dy, aIsSmaller ? 2 : 1, grey, labels, overlapGain);
  return aIsSmaller;
}

/** Draws one pose centred into a frame-sized sample, labelled 1. */
export function composeSingle(pose: Pose, grey: Uint8Array, labels: Uint8Array): void {
  grey.fill(0);
  labels.fill(0);
  draw(pose, (FRAME_WIDTH - pose.width) >> 1, (FRAME_HEIGHT - pose.height) >> 1, 1, grey, labels);
}

/**
 * Adds a pose's grey values (their sum times `overlapGain` where a pose already lies) and ORs its
 * label bit (1 or 2; both make 3, the overlap).
 */
function draw(
  pose: Pose,
  left: number,
  top: number,
  bit: 1 | 2,
  grey: Uint8Array,
  labels: Uint8Array,
  overlapGain = 1,
): void {
  for (let y = 0; y < pose.height; y++) {
    for (let x = 0; x < pose.width; x++) {
      const from = y * pose.width + x;
      if (!pose.mask[from]) continue;
      const to = (top + y) * FRAME_WIDTH + left + x;
      const gain = labels[to] ? overlapGain : 1;
      grey[to] = Math.min(255, Math.round((grey[to] + pose.grey[from]) * gain));
      labels[to] |= bit;
    }
  }
}
