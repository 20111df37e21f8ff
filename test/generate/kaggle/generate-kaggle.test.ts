import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compareWithPublished } from "../../../src/generate/kaggle/findings.js";
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

// The figures below come from an independent run of the notebook's code on the same crop
// (numpy 1.24, scipy 1.10.1, scikit-image 0.19.3, OpenCV 4.6.0), whose 567 samples this
// preset reproduces pixel for pixel.
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
    expect(publishedSource).toBe(false);
    expect(attributes).toMatchObject({
      preset: "kaggle",
      seed: 3,
      labels: "raw",
      samples: 567,
      frame: "84x82",
    });
  });

  it("writes the Cleaned labels over the same grey values, and keeps the raw ones' figures", async () => {
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
    expect(cleaned.findings.labelValues).toEqual(raw.findings.labelValues);
    expect(cleaned.attributes.labels).toBe("cleaned");
  });
});

describe("compareWithPublished", () => {
  const asPublished: KagglePresetFindings = {
    ...PUBLISHED_FIGURES,
    replaced: [17],
    frame: { height: 131, width: 128 },
    sampleFrame: PUBLISHED_FIGURES.frame,
    labelValues: new Map([
      [0, 1000],
      [4, PUBLISHED_FIGURES.label4Pixels],
    ]),
    grey: { min: -15, max: PUBLISHED_FIGURES.greyMax },
  };

  it("says when every figure agrees", () => {
    expect(compareWithPublished(asPublished, true)).toEqual([
      "as DESIGN.md's reproduction of the published set, figure for figure: 13434 samples of 94 × 93",
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
      /^ {2}samples: 13400, DESIGN\.md 13434 \(-34, -0\.25 %\); from steps 7–8/,
    );
  });

  it("does not compare other slides", () => {
    expect(compareWithPublished({ ...asPublished, samples: 5 }, false)).toEqual([
      "(not the published slides: DESIGN.md's figures do not apply)",
    ]);
  });
});
