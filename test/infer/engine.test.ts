import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { chromosomeAreas, swapChromosomeLabels } from "../../src/data/name-by-area.js";
import { exportToOnnx } from "../../src/export/export.js";
import { chromosomeNaming } from "../../src/onnx/metadata.js";
import { onnx, readMetadataProps } from "../../src/onnx/onnx-graph.js";
import { findChromosomes } from "../../src/image/find-chromosomes.js";
import { rotate } from "../../src/generate/pose.js";
import { readGreyImage } from "../../src/image/grey-image.js";
import type { GreyImage } from "../../src/image/grey-image.js";
import { OnnxModel } from "../../src/onnx/onnx-model.js";
import { segmentCrops } from "../../src/infer/segment-crops.js";
import { segmentImage } from "../../src/infer/segment-image.js";
import { OVERLAP_FRACTION, segmentSlide } from "../../src/infer/segment-slide.js";
import { selectBackend } from "../../src/model/backend.js";
import { Confusion } from "../../src/train/metrics.js";
import {
  CROSSING_CROP,
  DAPI_CROP,
  LITE_MODEL,
  REPLICA_SAMPLE,
  REPLICA_SAMPLE_LABELS,
  temporaryFolder,
} from "../helpers.js";

const folder = temporaryFolder();
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

  it("names the chromosomes by area when asked, so that A is the smaller", async () => {
    const sample = (await readGreyImage(REPLICA_SAMPLE)).image;
    expect(chromosomeNaming(model.metadata)).toBe("network");
    const [own] = await segmentCrops(model, [sample]);
    const [named] = await segmentCrops(model, [sample], { naming: "area" });
    const { a, b } = chromosomeAreas(named);
    expect(a).toBeLessThanOrEqual(b);
    expect(a).toBeGreaterThan(0);
    const swapped = own.slice();
    swapChromosomeLabels(swapped);
    expect([own, swapped]).toContainEqual(named);
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

describe("test-time augmentation", () => {
  it("maps each view back to its pixels: with a per-pixel model, TTA equals the plain labels", async () => {
    await selectBackend("wasm");
    const input = tf.input({ shape: [null, null, 1] });
    const logits = tf.layers.conv2d({ filters: 4, kernelSize: 1 }).apply(input);
    const softmax = tf.layers.activation({ activation: "softmax" }).apply(logits);
    const pointwise = tf.model({ inputs: input, outputs: softmax as tf.SymbolicTensor });
    pointwise.layers[1].setWeights([
      tf.tensor4d([8, -3, 2, -6], [1, 1, 1, 4]),
      tf.tensor1d([-1, 0.5, -0.2, 2]),
    ]);
    const { bytes } = await exportToOnnx({ model: pointwise, report: null, parityImage: dapi });
    const perPixel = await OnnxModel.fromBytes(bytes, "pointwise.onnx", { threads: 1 });
    const [plain] = await segmentCrops(perPixel, [dapi]);
    const [augmented] = await segmentCrops(perPixel, [dapi], { tta: true });
    expect(new Set(plain).size).toBeGreaterThan(1);
    expect(augmented).toEqual(plain);
  });
});

describe("slide mode", () => {
  it("finds the objects of a real slide and marks a synthetic overlap placed into it", async () => {
    const plain = await segmentSlide(model, dapi);
    expect(plain.objects.filter((o) => o.segmented).length).toBe(13); // 9 whole, 4 cut by the border

    // lay one chromosome, turned by 90°, across another, adding grey as overlaps do
    const found = findChromosomes(dapi);
    const [target, other] = found.objects.filter((o) => o.kind === "accepted");
    const cut = found.cutOuts[found.objects.indexOf(other)];
    const turned = rotate(cut, 90);
    const crossed = { ...dapi, data: dapi.data.slice() };
    const left = Math.round((target.box.x0 + target.box.x1 - turned.width) / 2);
    const top = Math.round((target.box.y0 + target.box.y1 - turned.height) / 2);
    for (let y = 0; y < turned.height; y++) {
      for (let x = 0; x < turned.width; x++) {
        if (!turned.mask[y * turned.width + x]) continue;
        const to = (top + y) * dapi.width + left + x;
        crossed.data[to] = Math.min(255, crossed.data[to] + turned.grey[y * turned.width + x]);
      }
    }
    const result = await segmentSlide(model, crossed);
    const centre = { x: left + turned.width / 2, y: top + turned.height / 2 };
    const [before, after] = [plain, result].map((r) =>
      r.objects.find(
        ({ box }) =>
          box.x0 <= centre.x && centre.x < box.x1 && box.y0 <= centre.y && centre.y < box.y1,
      )!,
    );
    expect(after.segmented).toBe(true);
    expect(after.overlapping).toBe(true);
    const overlapShare = (o: typeof after) => o.pixels!.overlap / o.area;
    expect(overlapShare(after)).toBeGreaterThan(overlapShare(before) + OVERLAP_FRACTION);

    // every labelled pixel lies in a segmented object's box; each object's mask is labelled whole
    const segmented = plain.objects.filter((o) => o.segmented);
    for (let i = 0; i < plain.labels.length; i++) {
      if (!plain.labels[i]) continue;
      const [x, y] = [i % dapi.width, Math.floor(i / dapi.width)];
      expect(
        segmented.some(({ box }) => box.x0 <= x && x < box.x1 && box.y0 <= y && y < box.y1),
      ).toBe(true);
    }
    const labelled = segmented.reduce(
      (sum, o) => sum + Object.values(o.pixels!).reduce((a, b) => a + b, 0),
      0,
    );
    expect(labelled).toBe(segmented.reduce((sum, o) => sum + o.area, 0));
  });

  it("finds the overlap where two real chromosomes cross (jpp21-m1's X)", async () => {
    const { image } = await readGreyImage(CROSSING_CROP);
    const result = await segmentSlide(model, image);
    const cluster = result.objects.find((o) => o.kind === "cluster")!;
    expect(cluster.overlapping).toBe(true);
    expect(cluster.pixels!.overlap / cluster.area).toBeLessThan(0.25);

    // the arms cross around (58, 108) in the crop, read off the grey image by eye
    const overlap = [...result.labels.keys()].filter((i) => result.labels[i] === 3);
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const centreX = mean(overlap.map((i) => i % image.width));
    const centreY = mean(overlap.map((i) => Math.floor(i / image.width)));
    expect(Math.hypot(centreX - 58, centreY - 108)).toBeLessThan(10);
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

  it("refuses a missing, a corrupt and an incompatible model", async () => {
    await expect(OnnxModel.load(join(folder, "missing.onnx"))).rejects.toThrow(
      /missing\.onnx: cannot read \(ENOENT\)/,
    );
    const corrupt = join(folder, "corrupt.onnx");
    await writeFile(corrupt, Buffer.from("this is not a protobuf at all"));
    await expect(OnnxModel.load(corrupt)).rejects.toThrow(/not a chromoseg ONNX model/);

    const proto = onnx.ModelProto.decode(readFileSync(LITE_MODEL));
    for (const prop of proto.metadataProps) {
      if (prop.key === "chromoseg.classes")
        prop.value = JSON.stringify({ names: ["background", "chromosome"], palette: [] });
    }
    const incompatible = onnx.ModelProto.encode(proto).finish();
    expect(readMetadataProps(incompatible)["chromoseg.classes"]).toContain("chromosome");
    for (const prop of proto.metadataProps) {
      if (prop.key === "chromoseg.classes")
        prop.value = readMetadataProps(readFileSync(LITE_MODEL))[prop.key];
    }
    proto.graph!.input![0].name = "image";
    for (const node of proto.graph!.node!)
      node.input = node.input!.map((n) => (n === "grey" ? "image" : n));
    await expect(
      OnnxModel.fromBytes(onnx.ModelProto.encode(proto).finish(), "renamed.onnx"),
    ).rejects.toThrow(
      /renamed\.onnx: not a chromoseg ONNX model \(graph image → probabilities; expected grey → probabilities\)/,
    );
    await expect(OnnxModel.fromBytes(incompatible, "other.onnx")).rejects.toThrow(
      /other\.onnx: not a chromoseg ONNX model \(incompatible classes \[background, chromosome\]/,
    );
  });
});

async function pngOf(image: GreyImage): Promise<Buffer> {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 1 } })
    .toColourspace("b-w")
    .png()
    .toBuffer();
}
