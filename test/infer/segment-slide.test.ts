import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_MODEL } from "../../src/default-model.js";
import { rotate } from "../../src/generate/pose.js";
import { findChromosomes } from "../../src/image/find-chromosomes.js";
import { readGreyImage } from "../../src/image/grey-image.js";
import type { GreyImage } from "../../src/image/grey-image.js";
import { OVERLAP_FRACTION, segmentSlide } from "../../src/infer/segment-slide.js";
import { OnnxModel } from "../../src/onnx/onnx-model.js";
import { CROSSING_CROP, DAPI_CROP, LITE_MODEL, SAMPLE_SLIDE } from "../helpers.js";

let model: OnnxModel;
let dapi: GreyImage;

beforeAll(async () => {
  model = await OnnxModel.load(LITE_MODEL, { threads: 1 });
  dapi = (await readGreyImage(DAPI_CROP)).image;
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
    expect(after.decidedBy).toBe("model");
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

  it("takes an unbranched rod the finder accepted as one chromosome, without the model", async () => {
    const found = findChromosomes(dapi);
    const rods = found.objects.filter(
      (o) => o.kind === "accepted" && o.endpoints !== null && o.endpoints <= 2,
    );
    expect(rods.length).toBeGreaterThan(0);
    const result = await segmentSlide(model, dapi);
    for (const rod of rods) {
      const report = result.objects.find((o) => o.id === rod.id)!;
      expect(report).toMatchObject({ decidedBy: "shape", chromosomes: 1, overlapping: false });
      expect(report.pixels).toEqual({
        background: 0,
        chromosomeA: rod.area,
        chromosomeB: 0,
        overlap: 0,
      });
    }
    const others = result.objects.filter((o) => o.segmented && !rods.some((r) => r.id === o.id));
    for (const other of others) expect(other.decidedBy).toBe("model");
  });

  it("counts the 46 chromosomes of the bundled DAPI.tif, with no overlap", async () => {
    const { image } = await readGreyImage(SAMPLE_SLIDE);
    const result = await segmentSlide(model, image);
    expect(result.chromosomeCount).toBe(46);
    expect(result.labels.filter((label) => label === 3).length).toBe(0);
  });

  it("counts the 46 chromosomes of the bundled DAPI.tif with the shipped model, with no overlap", async () => {
    const shipped = await OnnxModel.load(DEFAULT_MODEL, { threads: 1 });
    const { image } = await readGreyImage(SAMPLE_SLIDE);
    const result = await segmentSlide(shipped, image);
    expect(result.chromosomeCount).toBe(46);
    expect(result.labels.filter((label) => label === 3).length).toBe(0);
  });
});
