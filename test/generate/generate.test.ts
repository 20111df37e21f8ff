import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { loadDataset, writeDataset } from "../../src/data/hdf5.js";
import { emptyCleaning } from "../../src/data/label-policy.js";
import { splitDataset } from "../../src/data/splits.js";
import { generateDataset } from "../../src/generate/generate.js";
import type { GenerateOptions, GeneratedDataset } from "../../src/generate/generate.js";
import { SAMPLE_FRAME } from "../../src/data/samples.js";
import { contactSheetSize, renderContactSheet } from "../../src/render/contact-sheet.js";
import { DAPI_CROP, FIXTURES, REPLICA_SAMPLE, temporaryFolder } from "../helpers.js";

const { height: FRAME_HEIGHT, width: FRAME_WIDTH } = SAMPLE_FRAME;
const folder = temporaryFolder();
const small: GenerateOptions = {
  metaphases: [DAPI_CROP],
  preset: "all",
  count: 400,
  angles: 4,
  offsetStep: 4,
  seed: 5,
};
let generated: GeneratedDataset;

beforeAll(async () => {
  generated = await generateDataset(small);
});

describe("generateDataset", () => {
  it("averages each metaphase's Cy3 image into its grey image, one per metaphase, and names both", async () => {
    const cy3 = join(FIXTURES, "cy3-jpp21-m3-crop.tif");
    const withCy3 = await generateDataset({ ...small, count: 40, cy3: [cy3] });
    const alone = await generateDataset({ ...small, count: 40 });
    expect(withCy3.attributes.source_files).toBe("dapi-jpp21-m3-crop.tif,cy3-jpp21-m3-crop.tif");
    expect(String(withCy3.attributes.source_sha256).split(",")).toHaveLength(2);
    expect(withCy3.samples.grey).not.toEqual(alone.samples.grey);
    await expect(generateDataset({ ...small, cy3: [cy3, cy3] })).rejects.toThrow(
      "2 Cy3 image(s) for 1 metaphase(s): give one --cy3 per --metaphase, in the same order",
    );
    await expect(generateDataset({ ...small, cy3: [REPLICA_SAMPLE] })).rejects.toThrow(
      /must be the same size/,
    );
  });

  it("makes the samples asked for from every pair of the chromosomes found", () => {
    const { samples, chromosomes, attributes } = generated;
    expect(chromosomes).toHaveLength(9);
    expect(attributes.pairs).toBe(36);
    expect(samples.count).toBe(400);
    expect([samples.height, samples.width]).toEqual([FRAME_HEIGHT, FRAME_WIDTH]);
    const pairs = new Set<string>();
    for (let s = 0; s < samples.count; s++)
      pairs.add([samples.pairIds[2 * s], samples.pairIds[2 * s + 1]].sort().join("-"));
    expect(pairs.size).toBe(36);
  });

  it("labels only 0–3, with an overlap in every sample, label 1 on the smaller chromosome, nothing on the frame border", () => {
    const { samples } = generated;
    const px = FRAME_HEIGHT * FRAME_WIDTH;
    const problems = {
      outOfRange: 0,
      onBorder: 0,
      greyOnBackground: 0,
      noOverlap: 0,
      label1Larger: 0,
    };
    for (let s = 0; s < samples.count; s++) {
      const counts = [0, 0, 0, 0, 0];
      for (let y = 0; y < FRAME_HEIGHT; y++) {
        for (let x = 0; x < FRAME_WIDTH; x++) {
          const i = s * px + y * FRAME_WIDTH + x;
          const label = samples.labels[i];
          counts[Math.min(label, 4)]++;
          const onBorder = x === 0 || y === 0 || x === FRAME_WIDTH - 1 || y === FRAME_HEIGHT - 1;
          if (onBorder && label !== 0) problems.onBorder++;
          if (label === 0 && samples.grey[i] !== 0) problems.greyOnBackground++;
        }
      }
      problems.outOfRange += counts[4];
      if (counts[3] < 5) problems.noOverlap++;
      if (counts[1] > counts[2]) problems.label1Larger++;
    }
    expect(problems).toEqual({
      outOfRange: 0,
      onBorder: 0,
      greyOnBackground: 0,
      noOverlap: 0,
      label1Larger: 0,
    });
  });

  it("sums grey values where the chromosomes overlap", () => {
    const { samples } = generated;
    const mean = (label: number) => {
      let sum = 0;
      let n = 0;
      samples.labels.forEach((l, i) => {
        if (l === label) {
          sum += samples.grey[i];
          n++;
        }
      });
      return sum / n;
    };
    expect(mean(3)).toBeGreaterThan(1.5 * Math.max(mean(1), mean(2)));
  });

  it("gives the same file for the same seed, byte for byte, and another for another seed", async () => {
    const again = await generateDataset(small);
    const other = await generateDataset({ ...small, seed: 6 });
    const write = async (name: string, g: GeneratedDataset) => {
      const file = join(folder, name);
      await writeDataset(file, g.samples, { attributes: g.attributes });
      return readFileSync(file);
    };
    const first = await write("a.h5", generated);
    expect((await write("b.h5", again)).equals(first)).toBe(true);
    expect((await write("c.h5", other)).equals(first)).toBe(false);
    // and the same samples as the generator gave before its stages were split (2 December 2026)
    const digest = createHash("sha256")
      .update(generated.samples.grey)
      .update(generated.samples.labels)
      .digest("hex");
    expect(digest).toBe("e77782f742985c41fba0e17ce349dd885abfc8ae847ce398a7ef1eb3aa9aad1f");
  });

  it("writes a file the reader loads unchanged, with pair ids and how it was made", async () => {
    const file = join(folder, "generated.h5");
    await writeDataset(file, generated.samples, { attributes: generated.attributes });
    const loaded = await loadDataset(file);
    expect(loaded.cleaning).toEqual(emptyCleaning());
    expect(Buffer.compare(loaded.samples.labels, generated.samples.labels)).toBe(0);
    expect(Buffer.compare(loaded.samples.grey, generated.samples.grey)).toBe(0);
    expect(loaded.samples.pairIds).toEqual(generated.samples.pairIds);
    expect(loaded.info.attributes).toMatchObject({
      preset: "all",
      seed: 5,
      generator: expect.stringMatching(/^chromoseg generate/),
    });
    expect(String(loaded.info.attributes.source_sha256)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("spreads the samples evenly over the pairs: pair counts differ by at most one", () => {
    const { samples } = generated;
    const perPair = new Map<string, number>();
    for (let s = 0; s < samples.count; s++) {
      const key = [samples.pairIds[2 * s], samples.pairIds[2 * s + 1]].sort().join("-");
      perPair.set(key, (perPair.get(key) ?? 0) + 1);
    }
    const counts = [...perPair.values()];
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
  });

  it("does work in proportion to the samples asked for, not to the pairs", async () => {
    // 20 copies of the crop: 180 chromosomes, 16110 pairs, of which 50 samples need about 50
    const many = await generateDataset({
      metaphases: Array.from({ length: 20 }, () => DAPI_CROP),
      preset: "all",
      count: 50,
      seed: 3,
    });
    const { samples, attributes, work } = many;
    expect(attributes.pairs).toBe(16110);
    expect(samples.count).toBe(50);
    const pairs = new Set<string>();
    for (let s = 0; s < samples.count; s++)
      pairs.add([samples.pairIds[2 * s], samples.pairIds[2 * s + 1]].sort().join("-"));
    expect(pairs.size).toBe(50);
    expect(work.pairsVisited).toBe(50 + work.pairsUnplaced);
    expect(work.pairsUnplaced).toBeLessThan(5);
    // poses are rotated only for the chromosomes of the pairs tried, at most two per try
    expect(work.placementsTried).toBeLessThan(50 * 10);
    expect(work.posesRotated).toBeLessThanOrEqual(2 * work.placementsTried);
    expect(work.posesRotated).toBeLessThanOrEqual(2 * work.pairsVisited * 12);
    // the held-out pairs of the grouped split are whole pairs
    const split = splitDataset("grouped", samples.count, samples.pairIds);
    expect(split.test.length).toBeGreaterThan(0);
    expect(split.train.length + split.validation.length + split.test.length).toBe(50);
  });

  it("like-kaggle takes every 4th chromosome by area", async () => {
    const g = await generateDataset({ ...small, preset: "like-kaggle", count: 60 });
    const areas = g.chromosomes.map((c) => c.chromosome.area);
    expect(areas).toHaveLength(3); // 9 found: the 1st, 5th and 9th largest
    expect([...areas].sort((a, b) => b - a)).toEqual(areas);
    expect(g.samples.count).toBe(60);
  });

  it("refuses an image without two chromosomes", async () => {
    const blank = join(folder, "blank.png");
    await sharp({ create: { width: 64, height: 64, channels: 3, background: "black" } })
      .png()
      .toFile(blank);
    await expect(generateDataset({ metaphases: [blank] })).rejects.toThrow(
      /found 0 usable chromosome/,
    );
  });
});

describe("contact sheet", () => {
  it("decodes as a PNG of the stated size", async () => {
    const png = await renderContactSheet(generated.samples);
    const meta = await sharp(png).metadata();
    expect(meta.format).toBe("png");
    const size = contactSheetSize(generated.samples);
    expect([meta.width, meta.height]).toEqual([size.width, size.height]);
    expect(size).toEqual({ width: 2 * (8 * (2 * 93 + 2) + 9 * 6), height: 2 * (8 * 94 + 9 * 6) });
  });
});
