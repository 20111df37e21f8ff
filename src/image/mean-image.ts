/** The pixelwise mean of two channels of one field of view. */
import { UserError } from "../errors.js";
import type { GreyImage } from "./grey-image.js";

/**
 * (a + b) / 2, rounded down, of two grey images of the same size: a second stain (Cy3) averaged
 * into the first (DAPI), as the published dataset's grey image is. `names` say which files they are.
 */
export function meanImage(a: GreyImage, b: GreyImage, names: [string, string]): GreyImage {
  if (a.width !== b.width || a.height !== b.height)
    throw new UserError(
      `${names[1]} is ${b.width} × ${b.height} and ${names[0]} ${a.width} × ${a.height}: the two channels of one metaphase must be the same size`,
    );
  const data = new Uint8Array(a.data.length);
  for (let i = 0; i < data.length; i++) data[i] = (a.data[i] + b.data[i]) >> 1;
  return { width: a.width, height: a.height, data };
}
