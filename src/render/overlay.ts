/**
 * The pictures of a segmentation: the label map as an 8-bit PNG (values 0–3) and an overlay,
 * the input in grey with each chromosome class tinted in the palette of classes.ts.
 */
import sharp from "sharp";
import { PALETTE } from "../classes.js";
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
