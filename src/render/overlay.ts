/**
 * The pictures of a segmentation: the label map as an 8-bit PNG (values 0–3) and an overlay,
 * the input in grey with each chromosome class tinted in the palette of classes.ts (crop mode) or
 * each chromosome in a colour of its own (slide mode).
 */
import sharp from "sharp";
import { PALETTE } from "../classes.js";
import type { Rgb } from "../classes.js";
import type { Box } from "../image/morphology.js";
import type { GreyImage } from "../image/grey-image.js";
import { stretchContrast } from "./contrast.js";

/** Weight of the class colour in a tinted pixel. */
const TINT = 0.55;

/** Labels 0–3, width × height, as a single-channel 8-bit PNG. */
export async function encodeLabelMap(
  labels: Uint8Array,
  width: number,
  height: number,
): Promise<Buffer> {
  // without b-w, sharp writes a one-channel raw image as an RGB PNG
  return sharp(labels, { raw: { width, height, channels: 1 } })
    .toColourspace("b-w")
    .png()
    .toBuffer();
}

/** RGB PNG: the contrast-stretched input, background untouched, other classes tinted. */
export async function encodeOverlay(image: GreyImage, labels: Uint8Array): Promise<Buffer> {
  const grey = stretchContrast(image.data);
  const rgb = new Uint8Array(grey.length * 3);
  for (let i = 0; i < grey.length; i++) {
    const label = labels[i];
    for (let c = 0; c < 3; c++) {
      rgb[3 * i + c] = label
        ? Math.round((1 - TINT) * grey[i] + TINT * PALETTE[label][c])
        : grey[i];
    }
  }
  return sharp(rgb, { raw: { width: image.width, height: image.height, channels: 3 } })
    .png()
    .toBuffer();
}

/** One chromosome to draw: a box-sized mask, full-resolution box (x1, y1 exclusive). */
export interface InstanceMask {
  box: Box;
  mask: Uint8Array;
}

/** Okabe–Ito's colours but black, for telling neighbouring chromosomes apart. */
const INSTANCE_COLOURS: readonly Rgb[] = [
  [230, 159, 0],
  [86, 180, 233],
  [0, 158, 115],
  [240, 228, 66],
  [0, 114, 178],
  [213, 94, 0],
  [204, 121, 167],
];
const OUTLINE: Rgb = [255, 255, 255];

/**
 * RGB PNG of a slide: the contrast-stretched input with each chromosome tinted in a colour of
 * its own (neighbours in the list differ) and each overlap, the pixels of two chromosomes, left
 * grey and outlined in white.
 */
export async function encodeInstanceOverlay(
  image: GreyImage,
  instances: readonly InstanceMask[],
): Promise<Buffer> {
  const { width, height } = image;
  const grey = stretchContrast(image.data);
  const owner = new Int32Array(width * height).fill(-1);
  const covers = new Uint8Array(width * height);
  instances.forEach(({ box, mask }, k) => {
    const boxWidth = box.x1 - box.x0;
    for (let y = box.y0; y < box.y1; y++)
      for (let x = box.x0; x < box.x1; x++) {
        if (!mask[(y - box.y0) * boxWidth + x - box.x0]) continue;
        owner[y * width + x] = k;
        covers[y * width + x]++;
      }
  });
  const rgb = new Uint8Array(width * height * 3);
  for (let p = 0; p < owner.length; p++) {
    const colour =
      covers[p] >= 2
        ? overlapEdge(covers, p, width, height)
          ? OUTLINE
          : null
        : owner[p] >= 0
          ? INSTANCE_COLOURS[owner[p] % INSTANCE_COLOURS.length]
          : null;
    for (let c = 0; c < 3; c++)
      rgb[3 * p + c] = colour ? Math.round((1 - TINT) * grey[p] + TINT * colour[c]) : grey[p];
    if (colour === OUTLINE) rgb.fill(255, 3 * p, 3 * p + 3);
  }
  return sharp(rgb, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

/** An overlap pixel with a 4-neighbour outside the overlap. */
function overlapEdge(covers: Uint8Array, p: number, width: number, height: number): boolean {
  const x = p % width;
  const y = (p - x) / width;
  return (
    x === 0 ||
    y === 0 ||
    x === width - 1 ||
    y === height - 1 ||
    covers[p - 1] < 2 ||
    covers[p + 1] < 2 ||
    covers[p - width] < 2 ||
    covers[p + width] < 2
  );
}
