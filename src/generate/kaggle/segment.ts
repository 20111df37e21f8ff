/**
 * The chromosomes of the published dataset's recipe (docs/dataset-recipe.md, steps 1–5), from the
 * DAPI and Cy3 images of one metaphase: what the pairs, rotations and placements (steps 6–9) start
 * from.
 */
import type { GreyImage } from "../../image/grey-image.js";
import type { Box } from "../../image/morphology.js";
import type { KaggleChromosome, KaggleSelectionFindings } from "./select.js";
import { selectKaggleChromosomes } from "./select.js";
import type { KaggleSlide } from "./slide.js";
import { KAGGLE_CROP, segmentKaggleSlide } from "./slide.js";

export type { KaggleChromosome } from "./select.js";
export type { KaggleObject, KaggleSlide } from "./slide.js";

export type KaggleFindings = KaggleSelectionFindings;

export interface KaggleSegmentation {
  /** Ascending by area: in a pair the earlier one is chromosome A (mask value 1). */
  chromosomes: KaggleChromosome[];
  findings: KaggleFindings;
  /** The segmented slide (steps 1–4), for pictures of the segmentation. */
  slide: KaggleSlide;
}

export interface KaggleSegmentOptions {
  /** The part of the slides the recipe works on. Default KAGGLE_CROP. */
  crop?: Box;
}

/**
 * Steps 1–5 on whole slides as `readGreyImage` returns them (a 12-bit TIFF divided by 16, as
 * step 1 does). Throws a UserError when the slides differ in size or are smaller than the crop.
 */
export function segmentKaggleChromosomes(
  dapi: GreyImage,
  cy3: GreyImage,
  { crop = KAGGLE_CROP }: KaggleSegmentOptions = {},
): KaggleSegmentation {
  const slide = segmentKaggleSlide(dapi, cy3, crop);
  return { ...selectKaggleChromosomes(slide.objects), slide };
}
