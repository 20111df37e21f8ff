import type { GreyImage } from "./grey-image.js";
import type { Box } from "./morphology.js";

/** The pixels of `image` inside `box` (which must lie within the image). */
export function cropImage(image: GreyImage, box: Box): GreyImage {
  const data = cropPlane(image.data, image.width, box);
  return { width: box.x1 - box.x0, height: box.y1 - box.y0, data };
}

/** The values of a row-major plane `width` wide inside `box`, in an array of the plane's type. */
export function cropPlane<T extends Uint8Array | Int32Array>(data: T, width: number, box: Box): T {
  const boxWidth = box.x1 - box.x0;
  const cropped = data.slice(0, boxWidth * (box.y1 - box.y0)) as T;
  for (let y = box.y0; y < box.y1; y++) {
    const from = y * width + box.x0;
    cropped.set(data.subarray(from, from + boxWidth), (y - box.y0) * boxWidth);
  }
  return cropped;
}

/** The bounding box of the values above 0 of a row-major plane; undefined when there are none. */
export function positiveBox(
  data: ArrayLike<number>,
  width: number,
  height: number,
): Box | undefined {
  let box: Box | undefined;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (data[y * width + x] <= 0) continue;
      if (!box) box = { x0: x, y0: y, x1: x + 1, y1: y + 1 };
      box.x0 = Math.min(box.x0, x);
      box.x1 = Math.max(box.x1, x + 1);
      box.y1 = y + 1;
    }
  }
  return box;
}

/** The grey values of `image` inside `box` where the box-sized `mask` is set, 0 elsewhere. */
export function maskedCrop(image: GreyImage, box: Box, mask: ArrayLike<number>): Uint8Array {
  const cropped = cropPlane(image.data, image.width, box);
  for (let i = 0; i < cropped.length; i++) if (!mask[i]) cropped[i] = 0;
  return cropped;
}
