/**
 * Where an image goes when centred in a larger frame, by the rule of the published notebook's
 * ResizeImages (run with Python 3, as the reproduction in docs/dataset-recipe.md was).
 */
import { roundHalfEven } from "./round.js";

/** The first row (or column) of a `size`-long image centred in a `frame`-long one: round((frame − size) / 2), halves to even. */
export function centringOffset(size: number, frame: number): number {
  return roundHalfEven((frame - size) / 2);
}
