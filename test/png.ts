/** PNGs decoded by sharp, for tests of what the render modules write. */
import sharp from "sharp";

export interface DecodedPng {
  format: string | undefined;
  width: number;
  height: number;
  channels: number;
  /** The pixel at (x, y), one number per channel. */
  pixel: (x: number, y: number) => number[];
}

export async function decodePng(png: Buffer): Promise<DecodedPng> {
  const { format, channels: stored } = await sharp(png).metadata();
  // sharp decodes a one-channel PNG to three channels unless told otherwise
  const decoder = stored === 1 ? sharp(png).extractChannel(0) : sharp(png);
  const { data, info } = await decoder.raw().toBuffer({ resolveWithObject: true });
  const { width, height, channels } = info;
  const pixel = (x: number, y: number) => {
    const at = (y * width + x) * channels;
    return [...data.subarray(at, at + channels)];
  };
  return { format, width, height, channels, pixel };
}
