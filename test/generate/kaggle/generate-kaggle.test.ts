import { createHash } from "node:crypto";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compareWithPublished, describeFindings } from "../../../src/generate/kaggle/findings.js";
import type { KagglePresetFindings } from "../../../src/generate/kaggle/findings.js";
import { generateKaggleDataset } from "../../../src/generate/kaggle/generate-kaggle.js";
import { PUBLISHED_FIGURES } from "../../../src/generate/kaggle/published-figures.js";

const FIXTURES = fileURLToPath(new URL("../../fixtures/", import.meta.url));

/** The preset on the 380 × 330 crop of the published slides (test/fixtures/README.md), all of it the recipe's crop. */
function onCrop(cleaned: boolean, seed = 3) {
  return generateKaggleDataset({
    dapi: join(FIXTURES, "dapi-jpp21-m3-crop.tif"),
    cy3: join(FIXTURES, "cy3-jpp21-m3-crop.tif"),
    crop: { x0: 0, y0: 0, x1: 380, y1: 330 },
    seed,
    cleaned,
  });
}

function histogram(values: Int8Array): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

/**
 * sha256 over the samples in the order of their own bytes, each as the Kaggle file's (height,
 * width, 2) int64 little-endian: grey then label per pixel. Independent of the shuffle.
 */
function sortedDigest(samples: {
  count: number;
  width: number;
  height: number;
  grey: Int16Array;
  labels: Int8Array;
}): string {
  const px = samples.width * samples.height;
  const each = Array.from({ length: samples.count }, (_, s) => {
    const pixels = new BigInt64Array(2 * px);
    for (let i = 0; i < px; i++) {
      pixels[2 * i] = BigInt(samples.grey[s * px + i]);
      pixels[2 * i + 1] = BigInt(samples.labels[s * px + i]);
    }
    return Buffer.from(pixels.buffer);
  });
  const hash = createHash("sha256");
  for (const bytes of each.sort(Buffer.compare)) hash.update(bytes);
  return hash.digest("hex");
}

/** Samples with an overlap (label 3) in `before` and none in `after`. */
function overlapsLost(before: Int8Array, after: Int8Array, px: number): number {
  let lost = 0;
  for (let s = 0; s < before.length / px; s++) {
    const has = (labels: Int8Array) => labels.subarray(s * px, (s + 1) * px).includes(3);
    if (has(before) && !has(after)) lost++;
  }
  return lost;
}

// The figures and digests below come from an independent run of the notebook's code on the
// same crop (numpy 1.24, scipy 1.10.1, scikit-image 0.19.3, OpenCV 4.6.0; /tmp/ref of the
// issue-16 work): its 567 samples, raw and cleaned, sorted by their bytes and hashed.
describe("the kaggle preset on a crop of the published slides", () => {
  it("makes the recipe's samples from the crop's 3 chosen chromosomes, and reports each step", async () => {
    const { samples, findings, publishedSource, attributes } = await onCrop(false);
    expect(findings).toMatchObject({
      objects: 9,
      keptAreas: [787, 2057, 3777],
      decimatedAreas: [198, 515, 946],
      pairs: 3,
      candidates: 675,
      samples: 567,
      sampleFrame: { height: 84, width: 82 },
      grey: { min: -7, max: 334 },
    });
    expect([samples.count, samples.height, samples.width]).toEqual([567, 84, 82]);
    expect(histogram(samples.labels)).toEqual({ 0: 3351446, 1: 121110, 2: 370465, 3: 62475 });
    expect(Object.fromEntries(findings.labelValues)).toEqual(histogram(samples.labels));
    expect(sortedDigest(samples)).toBe(
      "269f0aad23b503820e996e34a1f93439294e842ee1db6ba47591b8b5794402ad",
    );
    expect(publishedSource).toBe(false);
    expect(attributes).toMatchObject({
      preset: "kaggle",
      seed: 3,
      labels: "raw",
      samples: 567,
      frame: "84x82",
    });
  });

  it("writes the Cleaned labels over the same grey values; its figures count both", async () => {
    const raw = await onCrop(false);
    const cleaned = await onCrop(true);
    // (toEqual on millions of values takes vitest 20 s)
    expect(
      Buffer.from(cleaned.samples.grey.buffer).equals(Buffer.from(raw.samples.grey.buffer)),
    ).toBe(true);
    expect(histogram(cleaned.samples.labels)).toEqual({
      0: 3351446,
      1: 98993,
      2: 387156,
      3: 67901,
    });
    expect(sortedDigest(cleaned.samples)).toBe(
      "9d226a48940b8cae498182ada352ce4ef65f3f2131f7222e652afb57503ffcd5",
    );
    expect(Object.fromEntries(cleaned.findings.labelValues)).toEqual(
      histogram(cleaned.samples.labels),
    );
    expect(cleaned.findings.rawLabelValues).toEqual(raw.findings.labelValues);
    const px = raw.samples.width * raw.samples.height;
    const lost = overlapsLost(raw.samples.labels, cleaned.samples.labels, px);
    expect(cleaned.findings.overlapsLostInCleaning).toBe(lost);
    expect(cleaned.attributes).toMatchObject({
      labels: "cleaned",
      label_values: "0:3351446,1:98993,2:387156,3:67901",
      raw_label_values: "0:3351446,1:121110,2:370465,3:62475",
      overlaps_lost_in_cleaning: lost,
    });
    expect(describeFindings(cleaned.findings)).toContain(
      `cleaning: ${lost} of 567 samples lost their overlap (label 3)`,
    );
  });
});

describe("the kaggle preset on a slide with too little in it", () => {
  it("says which step came up empty instead of writing an empty file", async () => {
    const blank = generateKaggleDataset({
      dapi: join(FIXTURES, "dapi-jpp21-m3-crop.tif"),
      cy3: join(FIXTURES, "cy3-jpp21-m3-crop.tif"),
      crop: { x0: 0, y0: 0, x1: 40, y1: 40 },
    });
    await expect(blank).rejects.toThrow("step 5 kept 0 chromosomes; step 6 needs 2 to make a pair");
  });
});

describe("compareWithPublished", () => {
  const asPublished: KagglePresetFindings = {
    ...PUBLISHED_FIGURES,
    replaced: [17],
    frame: { height: 131, width: 128 },
    sampleFrame: PUBLISHED_FIGURES.frame,
    labelValues: new Map([[0, 1000]]),
    rawLabelValues: new Map([
      [0, 1000],
      [4, PUBLISHED_FIGURES.label4Pixels],
    ]),
    grey: { min: -15, max: PUBLISHED_FIGURES.greyMax },
  };

  it("says when every figure agrees", () => {
    expect(compareWithPublished(asPublished, true)).toEqual([
      "as the published recipe (docs/dataset-recipe.md), figure for figure: 13434 samples of 94 × 93",
    ]);
  });

  it("lists what differs, by how much and from which step, the earliest first", () => {
    const lines = compareWithPublished(
      {
        ...asPublished,
        decimatedAreas: [161, ...PUBLISHED_FIGURES.decimatedAreas.slice(1)],
        samples: 13400,
      },
      true,
    );
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(
      /^ {2}decimated areas: 161, 238, .*; from step 5 \(centring before decimation\)$/,
    );
    expect(lines[2]).toMatch(
      /^ {2}samples: 13400, published recipe 13434 \(-34, -0\.25 %\); from steps 7–8/,
    );
  });

  it("does not compare other slides", () => {
    expect(compareWithPublished({ ...asPublished, samples: 5 }, false)).toEqual([
      "(not the published slides: the published figures do not apply)",
    ]);
  });
});
