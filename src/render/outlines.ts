/**
 * The slide check picture: the metaphase in grey with each object's outline drawn in the colour
 * of its kind and a legend with the counts, so a person can check the segmentation at a glance.
 */
import sharp from "sharp";
import type { Rgb } from "../classes.js";
import type { GreyImage } from "../image/grey-image.js";
import type { ObjectKind, SlideObject } from "../generate/find-chromosomes.js";
import { OBJECT_KINDS } from "../generate/find-chromosomes.js";
import { stretchContrast } from "./contrast.js";

export const KIND_COLOURS: Record<ObjectKind, Rgb> = {
  accepted: [0, 220, 0],
  nucleus: [255, 0, 255],
  debris: [255, 230, 0],
  cluster: [255, 40, 40],
  border: [0, 200, 255],
};

/**
 * Renders `slide` with the outline of every object (`labels` holds each object's id per pixel,
 * 0 outside) and returns the PNG bytes.
 */
export async function renderOutlines(
  slide: GreyImage,
  labels: Int32Array,
  objects: SlideObject[],
): Promise<Buffer> {
  const { width, height } = slide;
  const grey = stretchContrast(slide.data);
  const rgb = Buffer.alloc(width * height * 3);
  for (let i = 0; i < grey.length; i++) rgb.fill(grey[i], 3 * i, 3 * i + 3);
  const kindOf = new Map(objects.map((o) => [o.id, o.kind]));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const id = labels[y * width + x];
      const kind = id ? kindOf.get(id) : undefined;
      if (!kind || !isEdge(labels, width, height, x, y, id)) continue;
      const colour = KIND_COLOURS[kind];
      rgb.set(colour, 3 * (y * width + x));
    }
  }
  const legend = Buffer.from(legendSvg(objects));
  // A legend would hide most of a small crop; the colours are in `chromosomes --help`.
  const fits = width >= 4 * LEGEND_WIDTH && height >= 3 * LEGEND_HEIGHT;
  return sharp(rgb, { raw: { width, height, channels: 3 } })
    .composite(fits ? [{ input: legend, top: 8, left: 8 }] : [])
    .png()
    .toBuffer();
}

function isEdge(
  labels: Int32Array,
  width: number,
  height: number,
  x: number,
  y: number,
  id: number,
): boolean {
  return (
    x === 0 ||
    y === 0 ||
    x === width - 1 ||
    y === height - 1 ||
    labels[y * width + x - 1] !== id ||
    labels[y * width + x + 1] !== id ||
    labels[(y - 1) * width + x] !== id ||
    labels[(y + 1) * width + x] !== id
  );
}

const LEGEND_WIDTH = 170;
const LEGEND_HEIGHT = 16 + 22 * OBJECT_KINDS.length;

function legendSvg(objects: SlideObject[]): string {
  const rows = OBJECT_KINDS.map((kind, i) => {
    const n = objects.filter((o) => o.kind === kind).length;
    const [r, g, b] = KIND_COLOURS[kind];
    return `<rect x="8" y="${10 + 22 * i}" width="14" height="14" fill="rgb(${r},${g},${b})"/><text x="30" y="${22 + 22 * i}" fill="white" font-family="sans-serif" font-size="15">${kind}: ${n}</text>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${LEGEND_WIDTH}" height="${LEGEND_HEIGHT}"><rect width="100%" height="100%" fill="rgb(0,0,0)" fill-opacity="0.7"/>${rows.join("")}</svg>`;
}
