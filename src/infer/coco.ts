/**
 * A slide's chromosomes in COCO's instance format (cocodataset.org/#format-data), which
 * pycocotools, napari and annotation tools read, so a person can open and correct them:
 * one image, one category ("chromosome"), one annotation per chromosome with its whole mask as
 * uncompressed RLE (runs over the image in column-major order, starting with background).
 */
import type { ChromosomeInstance } from "./segment-slide.js";

export const CHROMOSOME_CATEGORY = { id: 1, name: "chromosome", supercategory: "chromosome" };

export interface CocoAnnotation {
  id: number;
  image_id: number;
  category_id: number;
  /** Uncompressed RLE: size [height, width]; counts alternate background and chromosome runs. */
  segmentation: { size: [number, number]; counts: number[] };
  /** Pixels. */
  area: number;
  /** [x, y, width, height], pixels. */
  bbox: [number, number, number, number];
  iscrowd: 0;
  /** chromoseg's: the object of report.json's objects it lies in. */
  object_id: number;
  /** chromoseg's: ids of the chromosomes it crosses. */
  overlaps: number[];
}

export interface CocoDataset {
  info: { description: string; version: string; date_created: string };
  images: { id: number; file_name: string; width: number; height: number }[];
  categories: (typeof CHROMOSOME_CATEGORY)[];
  annotations: CocoAnnotation[];
}

export function cocoChromosomes(
  image: { name: string; width: number; height: number },
  instances: readonly ChromosomeInstance[],
  producer: string,
): CocoDataset {
  return {
    info: {
      description: `chromosomes of ${image.name}`,
      version: producer,
      date_created: new Date().toISOString(),
    },
    images: [{ id: 1, file_name: image.name, width: image.width, height: image.height }],
    categories: [CHROMOSOME_CATEGORY],
    annotations: instances.map((instance) => ({
      id: instance.id,
      image_id: 1,
      category_id: CHROMOSOME_CATEGORY.id,
      segmentation: {
        size: [image.height, image.width],
        counts: columnMajorRuns(instance, image.height, image.width),
      },
      area: instance.area,
      bbox: [
        instance.box.x0,
        instance.box.y0,
        instance.box.x1 - instance.box.x0,
        instance.box.y1 - instance.box.y0,
      ],
      iscrowd: 0,
      object_id: instance.objectId,
      overlaps: instance.overlaps,
    })),
  };
}

/** The runs of an instance's mask over the whole image, column by column, background first. */
export function columnMajorRuns(
  instance: Pick<ChromosomeInstance, "box" | "mask">,
  height: number,
  width: number,
): number[] {
  const { x0, y0, x1, y1 } = instance.box;
  const boxWidth = x1 - x0;
  const runs: number[] = [];
  let value = 0;
  let run = x0 * height;
  const push = (pixel: number, count: number) => {
    if (count === 0) return;
    if (pixel !== value) {
      runs.push(run);
      value = pixel;
      run = 0;
    }
    run += count;
  };
  for (let x = x0; x < x1; x++) {
    push(0, y0);
    for (let y = y0; y < y1; y++) push(instance.mask[(y - y0) * boxWidth + x - x0] ? 1 : 0, 1);
    push(0, height - y1);
  }
  push(0, (width - x1) * height);
  runs.push(run);
  return runs;
}

/** The pixels (row-major indices, y · width + x) that an uncompressed column-major RLE covers. */
export function runPixels({
  size: [height, width],
  counts,
}: CocoAnnotation["segmentation"]): number[] {
  const pixels: number[] = [];
  let at = 0;
  counts.forEach((run, k) => {
    if (k % 2 === 1)
      for (let p = at; p < at + run; p++)
        pixels.push((p % height) * width + Math.floor(p / height));
    at += run;
  });
  return pixels;
}
