/**
 * scikit-image's clear_border on a binary mask: removes every 8-connected object with a pixel
 * within `buffer` pixels of the image's edge (the outer buffer + 1 rows and columns).
 */
import { labelComponents } from "./morphology.js";

/** A copy of `mask` (0/1, width × height) without the objects that reach the border zone. */
export function clearBorder(
  mask: Uint8Array,
  width: number,
  height: number,
  buffer: number,
): Uint8Array {
  const { labels, count } = labelComponents(mask, width, height);
  const touching = new Uint8Array(count + 1);
  const zone = buffer + 1;
  for (let y = 0; y < height; y++) {
    const inZoneRow = y < zone || y >= height - zone;
    for (let x = 0; x < width; x++)
      if (inZoneRow || x < zone || x >= width - zone) touching[labels[y * width + x]] = 1;
  }
  const out = new Uint8Array(mask.length);
  for (let i = 0; i < out.length; i++) out[i] = labels[i] && !touching[labels[i]] ? 1 : 0;
  return out;
}
