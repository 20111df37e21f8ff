import type { GreyImage } from "./grey-image.js";
import type { Box } from "./morphology.js";

/** The pixels of `image` inside `box` (which must lie within the image). */
export function cropImage(image: GreyImage, box: Box): GreyImage {
  const width = box.x1 - box.x0;
  const height = box.y1 - box.y0;
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const from = (box.y0 + y) * image.width + box.x0;
    data.set(image.data.subarray(from, from + width), y * width);
  }
  return { width, height, data };
}
