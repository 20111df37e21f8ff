import { readFileSync } from "node:fs";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { readGreyImage } from "../../src/image/grey-image.js";
import type { GreyImage } from "../../src/image/grey-image.js";
import { segmentImage } from "../../src/infer/segment-image.js";
import { OnnxModel } from "../../src/onnx/onnx-model.js";
import { Confusion } from "../../src/train/metrics.js";
import { DAPI_CROP, LITE_MODEL, REPLICA_SAMPLE, REPLICA_SAMPLE_LABELS } from "../helpers.js";

let model: OnnxModel;
let dapi: GreyImage;

beforeAll(async () => {
  model = await OnnxModel.load(LITE_MODEL, { threads: 1 });
  dapi = (await readGreyImage(DAPI_CROP)).image;
});

describe("crop mode", () => {
  it("gives the same label counts on a known crop (a replica sample in the test part of both the kaggle and the grouped split)", async () => {
    const { labelsPng, report } = await segmentImage(
      model,
      readFileSync(REPLICA_SAMPLE),
      "replica-sample.png",
    );
    expect(report.mode).toBe("crop");
    expect([report.width, report.height]).toEqual([93, 94]);
    expect(report.pixels).toMatchInlineSnapshot(`
      {
        "background": 7931,
        "chromosomeA": 289,
        "chromosomeB": 360,
        "overlap": 162,
      }
    `);
    expect(report.overlapFound).toBe(true);
    const predicted = await sharp(labelsPng).extractChannel(0).raw().toBuffer();
    const truth = await sharp(REPLICA_SAMPLE_LABELS).extractChannel(0).raw().toBuffer();
    const confusion = new Confusion();
    confusion.add(truth, predicted);
    const { iou } = confusion.metrics();
    expect(iou.chromosomeB).toBeGreaterThan(0.6);
    expect(iou.overlap).toBeGreaterThan(0.6);
  });

  it("reads 12-bit data in a 16-bit file as the 8-bit values ÷ 16, the way the dataset was made", async () => {
    const sample = await sharp(REPLICA_SAMPLE)
      .extractChannel(0)
      .raw()
      .toBuffer({ resolveWithObject: true });
    const sixteen = Uint16Array.from(sample.data, (v) => v * 16);
    // a Uint16Array tells sharp the raw data are 16-bit
    const png16 = await sharp(sixteen, {
      raw: { width: sample.info.width, height: sample.info.height, channels: 1 },
    })
      .toColourspace("grey16")
      .png()
      .toBuffer();
    const eight = await segmentImage(model, readFileSync(REPLICA_SAMPLE), "8-bit.png");
    const twelve = await segmentImage(model, png16, "12-bit.png");
    expect(twelve.report.scaling).toBe("12-bit ÷ 16");
    expect(twelve.report.pixels).toEqual(eight.report.pixels);
  });

  it("takes the luminance of a colour image and says so", async () => {
    const rgb = await sharp(await pngOf(dapi))
      .toColourspace("srgb")
      .png()
      .toBuffer();
    const { report } = await segmentImage(model, rgb, "colour.png", { mode: "crop" });
    expect(report.luminance).toBe(true);
  });
});

describe("bad input", () => {
  const cases: [string, () => Promise<Uint8Array>, RegExp][] = [
    ["a zero-byte file", async () => new Uint8Array(0), /empty file \(0 bytes\)/],
    [
      "a text file named .png",
      async () => Buffer.from("hello, not an image\n"),
      /not a readable image/,
    ],
    ["a truncated PNG", async () => (await pngOf(dapi)).subarray(0, 2000), /not a readable image/],
    [
      "a PNG with corrupt bytes in the middle",
      async () => {
        const png = Buffer.from(await pngOf(dapi));
        for (let i = 1000; i < 1040; i++) png[i] ^= 0x55;
        return png;
      },
      /not a readable image/,
    ],
    [
      "an unsupported format (BMP)",
      async () => Buffer.from("424d3a0000000000000036000000280000000100000001000000010018", "hex"),
      /not a readable image/,
    ],
  ];
  for (const [what, bytes, reason] of cases) {
    it(`refuses ${what} with a one-line reason`, async () => {
      const error = await segmentImage(model, await bytes(), "upload.png").catch((e: Error) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).name).toBe("UserError");
      expect((error as Error).message).toMatch(reason);
      expect((error as Error).message).not.toContain("\n");
    });
  }

  it("refuses an image over the pixel limit before decoding it", async () => {
    await expect(
      segmentImage(model, await pngOf(dapi), "big.png", { maxPixels: 100_000 }),
    ).rejects.toThrow(/380 × 330 is 125400 pixels, over the limit of 100000 \(0\.1 megapixels\)/);
  });
});

async function pngOf(image: GreyImage): Promise<Buffer> {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 1 } })
    .toColourspace("b-w")
    .png()
    .toBuffer();
}
