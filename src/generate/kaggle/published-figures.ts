/**
 * What the independent reproduction of the published recipe (docs/dataset-recipe.md) found on the
 * slides the public dataset was made from (jpp21 metaphase 3, DAPI.tif and Cy3.tif in shared data):
 * what the `kaggle` preset compares its own findings with.
 */
import { SAMPLE_FRAME } from "../../data/samples.js";

export const PUBLISHED_FIGURES = {
  /** sha256 of the two source files; the figures hold for these only. */
  dapiSha256: "990e2fab218d6bf0690fd1e0ea04273962d4bdfdd351ca68323ebef5185724a2",
  cy3Sha256: "fc5d18dcc0557668ac69930c576995b1a4964fa6dcbfabcc05691ade2359585f",
  objects: 46,
  distinctAreas: 45,
  keptAreas: [639, 942, 1071, 1272, 1427, 1790, 1927, 2116, 2226, 2399, 2859, 3800],
  decimatedAreas: [158, 238, 265, 316, 353, 447, 488, 530, 555, 601, 717, 949],
  pairs: 66,
  candidates: 14850,
  samples: 13434,
  frame: SAMPLE_FRAME,
  /** Label pixels of value 4 over the whole set (the spline's rounding of the masks). */
  label4Pixels: 166,
  /** The largest grey value (overlap sums are not clipped). */
  greyMax: 402,
};
