import sharp from "sharp";
import type { Sharp } from "sharp";
import { describe, expect, it } from "vitest";
import { decodeGreyImage } from "../../src/image/grey-image.js";

/** A 40 × 30 dark image, bright in its top-left 10 × 10 corner: which way up it is shows. */
function cornerImage(): Sharp {
  const pixels = Buffer.alloc(40 * 30, 20);
  for (let y = 0; y < 10; y++) pixels.fill(230, y * 40, y * 40 + 10);
  return sharp(pixels, { raw: { width: 40, height: 30, channels: 1 } });
}

/** A 40 × 30 page of one grey value. */
function page(value: number): Promise<Buffer> {
  return sharp({
    create: { width: 40, height: 30, channels: 3, background: { r: value, g: value, b: value } },
  })
    .png()
    .toBuffer();
}

describe("decodeGreyImage", () => {
  it("turns a JPEG upright by its EXIF orientation", async () => {
    // orientation 6: the stored pixels are shown turned 90° clockwise
    const jpeg = await cornerImage()
      .jpeg({ quality: 95 })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const { image } = await decodeGreyImage(jpeg, "turned.jpg");
    expect([image.width, image.height]).toEqual([30, 40]);
    const at = (x: number, y: number) => image.data[y * image.width + x];
    expect(at(25, 5)).toBeGreaterThan(200); // the bright corner is now top right
    expect(at(5, 5)).toBeLessThan(50);
  });

  it("reads a multi-page TIFF's first page and says how many pages it has", async () => {
    const tiff = await sharp([await page(50), await page(200)], { join: { animated: true } })
      .tiff()
      .toBuffer();
    const decoded = await decodeGreyImage(tiff, "two-pages.tif");
    expect(decoded.pages).toBe(2);
    expect([decoded.image.width, decoded.image.height]).toEqual([40, 30]);
    expect(new Set(decoded.image.data)).toEqual(new Set([50]));
  });

  it("gives no page count for a single-page image", async () => {
    const decoded = await decodeGreyImage(await cornerImage().tiff().toBuffer(), "one.tif");
    expect(decoded.pages).toBeUndefined();
  });
});
