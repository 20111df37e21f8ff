import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readSlideResults } from "../../src/evaluate/read-slide-results.js";
import { segmentImage } from "../../src/infer/segment-image.js";
import type { SegmentOutputs } from "../../src/infer/segment-image.js";
import { writeSegmentOutputs } from "../../src/infer/write-outputs.js";
import { OnnxModel } from "../../src/onnx/onnx-model.js";
import { DAPI_CROP, LITE_MODEL, temporaryFolder } from "../helpers.js";

const folder = temporaryFolder();
let outputs: SegmentOutputs;

beforeAll(async () => {
  const model = await OnnxModel.load(LITE_MODEL, { threads: 1 });
  outputs = await segmentImage(model, readFileSync(DAPI_CROP), "crop.tif", { mode: "slide" });
  await writeSegmentOutputs(folder, outputs);
});

describe("reading a slide's results for scoring", () => {
  const withClump = {
    image: "crop.tif",
    crossings: [],
    clumps: [{ x: 0, y: 0, chromosomes: 2 }],
  };

  it("places every chromosome of chromosomes.json under its object, where labels.png has one", async () => {
    const { labels, reported } = await readSlideResults(folder, withClump);
    expect(reported.chromosomeCount).toBe(outputs.report.chromosomeCount);
    const perObject = new Map<number, number>();
    for (const o of outputs.report.objects ?? [])
      if (o.chromosomes) perObject.set(o.id, o.chromosomes);
    expect(reported.chromosomesIn).toEqual(perObject);
    for (let p = 0; p < labels.length; p++) expect(reported.objectOf[p] > 0).toBe(labels[p] > 0);
  });

  it("refuses chromosomes of another size than the labels", async () => {
    const coco = outputs.chromosomes!;
    const doubled = {
      ...coco,
      annotations: coco.annotations.map((a) => ({
        ...a,
        segmentation: {
          ...a.segmentation,
          size: [2 * a.segmentation.size[0], a.segmentation.size[1]],
        },
      })),
    };
    writeFileSync(join(folder, "chromosomes.json"), JSON.stringify(doubled));
    await expect(readSlideResults(folder, withClump)).rejects.toThrow(
      /^crop\.tif: .*chromosomes\.json is for \d+ × \d+, but .*labels\.png is \d+ × \d+$/,
    );
  });

  it("names the slide and the file it cannot read, and reads chromosomes.json only for clumps", async () => {
    writeFileSync(join(folder, "chromosomes.json"), "{");
    await expect(readSlideResults(folder, withClump)).rejects.toThrow(
      `crop.tif: no readable ${join(folder, "chromosomes.json")}`,
    );
    const { reported } = await readSlideResults(folder, { image: "crop.tif", crossings: [] });
    expect(reported.chromosomesIn.size).toBe(0);
  });
});
