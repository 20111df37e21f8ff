/**
 * Reading the two channels the published dataset was made from. Its recipe brings them to 8 bits
 * by dividing by 16, which readGreyImage does for 12-bit data; full-range 16-bit images would be
 * scaled another way, so they are refused rather than silently segmented differently.
 */
import type { DecodedImage } from "../../image/grey-image.js";
import { readGreyImage } from "../../image/grey-image.js";
import { UserError } from "../../errors.js";

export async function readKaggleChannels(
  dapiFile: string,
  cy3File: string,
): Promise<{ dapi: DecodedImage; cy3: DecodedImage }> {
  const [dapi, cy3] = [await readGreyImage(dapiFile), await readGreyImage(cy3File)];
  for (const [file, decoded] of [
    [dapiFile, dapi],
    [cy3File, cy3],
  ] as const) {
    if (decoded.scaling === "16-bit ÷ 257")
      throw new UserError(
        `${file}: values above 4095; the kaggle recipe divides by 16 and expects 12-bit (or 8-bit) images`,
      );
  }
  if (dapi.scaling !== cy3.scaling)
    throw new UserError(
      `the DAPI image is ${dapi.scaling} and the Cy3 image (${cy3File}) ${cy3.scaling}: both must come from the same camera`,
    );
  return { dapi, cy3 };
}
