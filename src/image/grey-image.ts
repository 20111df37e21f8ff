/**
 * Reading images as 8-bit grey, the form both the generator and inference work on.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import sharp from "sharp";
import type { SharpOptions } from "sharp";
import { ImageError, UserError } from "../errors.js";

/**
 * sharp's strictest decoding (its default: any warning fails, so truncated or corrupt data is
 * refused rather than decoded into a partly grey image); the pixel limit is checked before, by us.
 * A JPEG is turned upright by its EXIF orientation, as viewers show it. Of a multi-page file
 * (TIFF) only the first page is read (sharp's default).
 */
const SHARP_OPTIONS: SharpOptions = {
  failOn: "warning",
  limitInputPixels: false,
  autoOrient: true,
};

/** A single-channel 8-bit image, row-major: pixel (x, y) at y × width + x. */
export interface GreyImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** How the file's values were brought to 8 bits. */
export type BitDepthScaling =
  | "8-bit"
  /** 12-bit values in a 16-bit container (maximum ≤ 4095), divided by 16 like the public dataset. */
  | "12-bit ÷ 16"
  /** Full 16-bit values, divided by 257. */
  | "16-bit ÷ 257";

export interface DecodedImage {
  image: GreyImage;
  scaling: BitDepthScaling;
  /** True when a colour image was reduced to its luminance. */
  luminance: boolean;
  /** The number of pages of a multi-page file, of which the first was read; absent for one. */
  pages?: number;
  /** sha256 of the file's bytes, hex. */
  sha256: string;
}

/** Decodes a PNG, TIFF or JPEG file (8 or 16 bit, grey, RGB or with alpha) to 8-bit grey. */
export async function readGreyImage(
  file: string,
  options: DecodeOptions = {},
): Promise<DecodedImage> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new UserError(
      `${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
  }
  return decodeGreyImage(bytes, file, options);
}

export interface DecodeOptions {
  /** Larger images are refused before decoding. Default 64 megapixels. */
  maxPixels?: number;
}

export const DEFAULT_MAX_PIXELS = 64e6;

/** `decodeGreyImage` for bytes in memory; `name` appears in error messages. */
export async function decodeGreyImage(
  bytes: Uint8Array,
  name: string,
  { maxPixels = DEFAULT_MAX_PIXELS }: DecodeOptions = {},
): Promise<DecodedImage> {
  if (bytes.length === 0) throw new ImageError(`${name}: empty file (0 bytes)`, "unreadable");
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  try {
    return {
      ...(await decodeGrey(
        Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length),
        name,
        maxPixels,
      )),
      sha256,
    };
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new ImageError(
      `${name}: not a readable image (${(error as Error).message.split("\n")[0]})`,
      "unreadable",
    );
  }
}

async function decodeGrey(
  bytes: Buffer,
  name: string,
  maxPixels: number,
): Promise<Omit<DecodedImage, "sha256">> {
  const meta = await sharp(bytes, SHARP_OPTIONS).metadata();
  const pixels = (meta.width ?? 0) * (meta.height ?? 0);
  if (pixels > maxPixels)
    throw new ImageError(
      `${name}: ${meta.width} × ${meta.height} is ${pixels} pixels, over the limit of ${maxPixels} (${maxPixels / 1e6} megapixels)`,
      "too-large",
    );
  const luminance = (meta.channels ?? 1) - (meta.hasAlpha ? 1 : 0) > 1;
  const pages = meta.pages && meta.pages > 1 ? meta.pages : undefined;
  if (meta.depth === "ushort") {
    const { data, info } = await sharp(bytes, SHARP_OPTIONS)
      .removeAlpha()
      .toColourspace("grey16")
      .raw({ depth: "ushort" })
      .toBuffer({ resolveWithObject: true });
    const values = new Uint16Array(data.buffer, data.byteOffset, data.length / 2);
    let max = 0;
    for (const v of values) if (v > max) max = v;
    const twelveBit = max <= 4095;
    const divisor = twelveBit ? 16 : 257;
    const out = new Uint8Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = Math.min(255, Math.floor(values[i] / divisor));
    return {
      image: { width: info.width, height: info.height, data: out },
      scaling: twelveBit ? "12-bit ÷ 16" : "16-bit ÷ 257",
      luminance,
      pages,
    };
  }
  const { data, info } = await sharp(bytes, SHARP_OPTIONS)
    .removeAlpha()
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    image: {
      width: info.width,
      height: info.height,
      data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    },
    scaling: "8-bit",
    luminance,
    pages,
  };
}
