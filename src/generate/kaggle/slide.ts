/**
 * Steps 1–4 of the published dataset's recipe (docs/dataset-recipe.md, "The recipe, step by step"):
 * the metaphase cropped, the background of its DAPI and Cy3 images removed by top-hats, the
 * chromosomes segmented on DAPI, and each cut out of the mean of both top-hats.
 */
import { UserError } from "../../errors.js";
import { clearBorder } from "../../image/clear-border.js";
import { cropImage, cropPlane, maskedCrop } from "../../image/crop.js";
import { opening, whiteTopHat } from "../../image/flat-morphology.js";
import type { GreyImage } from "../../image/grey-image.js";
import { gaussianLocalThreshold } from "../../image/local-threshold.js";
import type { Box } from "../../image/morphology.js";
import { componentBoxes, labelComponents } from "../../image/morphology.js";
import type { StructuringElement } from "../../image/structuring-element.js";
import { disk, opencvEllipse } from "../../image/structuring-element.js";

/** Step 1: the part of the slide the recipe works on (describeCrop says which). */
export const KAGGLE_CROP: Box = { x0: 300, y0: 50, x1: 1150, y1: 900 };

/** "rows 50–899 and columns 300–1149" for KAGGLE_CROP. */
export function describeCrop(crop: Box): string {
  return `rows ${crop.y0}–${crop.y1 - 1} and columns ${crop.x0}–${crop.x1 - 1}`;
}

/** Step 2: the top-hats' elements, and the level subtracted from both after. */
const DAPI_TOP_HAT = opencvEllipse(50, 50);
const CY3_TOP_HAT = opencvEllipse(9, 9);
const TOP_HAT_FLOOR = 5;

/** Step 3: the local threshold's block, the opening's disk, the border zone cleared. */
const THRESHOLD_BLOCK = 221;
const OPENING_DISK = disk(5);
const BORDER_BUFFER = 3;

/** One segmented object of the cropped slide. */
export interface KaggleObject {
  /** Its label: 1, 2, … in raster order of each object's first pixel (skimage's label order). */
  id: number;
  /** Bounding box on the cropped slide. */
  box: Box;
  /** Box-sized, row-major: the grey image on the object's pixels, 0 elsewhere (other objects' too). */
  grey: Uint8Array;
  /** Pixels with grey > 0: the key the selection sorts by. */
  area: number;
}

export interface KaggleSlide {
  /** The cropped slide, and step 4's grey image of it: the stretched mean of both top-hats. */
  grey: GreyImage;
  /** Crop-sized: each pixel's object id, 0 for background. */
  labels: Int32Array;
  objects: KaggleObject[];
}

/**
 * Steps 1–4 on whole slides as `readGreyImage` returns them: 12-bit TIFFs come back divided by
 * 16, which is step 1's conversion to 8 bits; the crop is done here. `crop` is for tests.
 */
export function segmentKaggleSlide(
  dapi: GreyImage,
  cy3: GreyImage,
  crop: Box = KAGGLE_CROP,
): KaggleSlide {
  checkSlides(dapi, cy3, crop);
  const dapiTopHat = backgroundRemoved(cropImage(dapi, crop), DAPI_TOP_HAT);
  const cy3TopHat = backgroundRemoved(cropImage(cy3, crop), CY3_TOP_HAT);
  const { width, height } = dapiTopHat;
  const foreground = gaussianLocalThreshold(dapiTopHat, THRESHOLD_BLOCK);
  const opened = opening({ width, height, data: foreground }, OPENING_DISK);
  const cleared = clearBorder(opened.data, width, height, BORDER_BUFFER);
  const { labels, count } = labelComponents(cleared, width, height);
  const grey = stretchedMean(dapiTopHat, cy3TopHat);
  return { grey, labels, objects: cutOut(grey, labels, count) };
}

function checkSlides(dapi: GreyImage, cy3: GreyImage, crop: Box): void {
  if (dapi.width !== cy3.width || dapi.height !== cy3.height)
    throw new UserError(
      `the DAPI image is ${dapi.width} × ${dapi.height} and the Cy3 image ${cy3.width} × ${cy3.height}: they must be the same metaphase`,
    );
  if (crop.x1 > dapi.width || crop.y1 > dapi.height)
    throw new UserError(
      `the kaggle recipe crops ${describeCrop(crop)}, but the images are ${dapi.width} × ${dapi.height}`,
    );
}

/** Step 2: the white top-hat, minus TOP_HAT_FLOOR, clipped at 0. */
function backgroundRemoved(image: GreyImage, element: StructuringElement): GreyImage {
  const topHat = whiteTopHat(image, element);
  const data = topHat.data.map((v) => Math.max(0, v - TOP_HAT_FLOOR));
  return { width: image.width, height: image.height, data };
}

/** Step 4: (DAPI + Cy3) / 2 in floating point, stretched from its minimum–maximum to 0–255, truncated. */
function stretchedMean(dapi: GreyImage, cy3: GreyImage): GreyImage {
  const mean = new Float64Array(dapi.data.length);
  for (let i = 0; i < mean.length; i++) mean[i] = (dapi.data[i] + cy3.data[i]) / 2;
  let min = Infinity;
  let max = -Infinity;
  for (const v of mean) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const range = max - min;
  const data = new Uint8Array(mean.length);
  if (range > 0)
    for (let i = 0; i < data.length; i++) data[i] = Math.trunc(((mean[i] - min) * 255) / range);
  return { width: dapi.width, height: dapi.height, data };
}

/** Step 4: each object cut out by its bounding box, pixels not its own set to 0. */
function cutOut(grey: GreyImage, labels: Int32Array, count: number): KaggleObject[] {
  const boxes = componentBoxes(labels, count, grey.width, grey.height);
  return boxes.map((box, k) => {
    const id = k + 1;
    const own = cropPlane(labels, grey.width, box).map((label) => (label === id ? 1 : 0));
    const cut = maskedCrop(grey, box, own);
    return { id, box, grey: cut, area: cut.reduce((n, v) => n + (v > 0 ? 1 : 0), 0) };
  });
}
