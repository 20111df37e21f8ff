/**
 * The slide check picture: the metaphase in grey with each object's outline drawn in the colour
 * of its kind and a legend with the counts, so a person can check the segmentation at a glance.
 */
import sharp from "sharp";
import type { Rgb } from "../classes.js";
import type { GreyImage } from "../image/grey-image.js";
import type { ObjectKind, SlideObject } from "../image/find-chromosomes.js";
import { OBJECT_KINDS } from "../image/find-chromosomes.js";
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
  const kindOf = new Map(objects.map((o) => [o.id, o.kind]));
  return renderColouredOutlines(
    slide,
    labels,
    (id) => KIND_COLOURS[kindOf.get(id)!],
    OBJECT_KINDS.map((kind) => ({
      colour: KIND_COLOURS[kind],
      text: `${kind}: ${objects.filter((o) => o.kind === kind).length}`,
    })),
  );
}

/** One line of the legend: a colour and what it marks. */
export interface LegendEntry {
  colour: Rgb;
  text: string;
}

/**
 * Renders `slide`, contrast-stretched, with each object's outline in `colourOf(its id)` (none
 * where that is undefined) and the legend in the top-left corner when the slide is large enough.
 */
export async function renderColouredOutlines(
  slide: GreyImage,
  labels: Int32Array,
  colourOf: (id: number) => Rgb | undefined,
  legend: LegendEntry[],
): Promise<Buffer> {
  const { width, height } = slide;
  const grey = stretchContrast(slide.data);
  const rgb = Buffer.alloc(width * height * 3);
  for (let i = 0; i < grey.length; i++) rgb.fill(grey[i], 3 * i, 3 * i + 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const id = labels[y * width + x];
      const colour = id ? colourOf(id) : undefined;
      if (!colour || !isEdge(labels, width, height, x, y, id)) continue;
      rgb.set(colour, 3 * (y * width + x));
    }
  }
  // A legend would hide most of a small crop; the colours are in `chromosomes --help`.
  const fits = width >= 4 * LEGEND_WIDTH && height >= 3 * legendHeight(legend.length);
  return sharp(rgb, { raw: { width, height, channels: 3 } })
    .composite(fits ? [{ input: Buffer.from(legendSvg(legend)), top: 8, left: 8 }] : [])
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
const legendHeight = (entries: number) => 16 + 22 * entries;

function legendSvg(legend: LegendEntry[]): string {
  const rows = legend.map(({ colour: [r, g, b], text }, i) => {
    return `<rect x="8" y="${10 + 22 * i}" width="14" height="14" fill="rgb(${r},${g},${b})"/><text x="30" y="${22 + 22 * i}" fill="white" font-family="sans-serif" font-size="15">${text}</text>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${LEGEND_WIDTH}" height="${legendHeight(legend.length)}"><rect width="100%" height="100%" fill="rgb(0,0,0)" fill-opacity="0.7"/>${rows.join("")}</svg>`;
}
