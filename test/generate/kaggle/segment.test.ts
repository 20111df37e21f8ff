import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { readKaggleChannels } from "../../../src/generate/kaggle/read.js";
import { segmentKaggleChromosomes } from "../../../src/generate/kaggle/segment.js";
import { centred } from "../../../src/generate/kaggle/select.js";
import { decimatePlane } from "../../../src/image/decimate.js";

const FIXTURES = fileURLToPath(new URL("../../fixtures/", import.meta.url));

/** The same 380 × 330 region of DAPI.tif and Cy3.tif (test/fixtures/README.md). */
async function fixtureSlides() {
  const { dapi, cy3 } = await readKaggleChannels(
    join(FIXTURES, "dapi-jpp21-m3-crop.tif"),
    join(FIXTURES, "cy3-jpp21-m3-crop.tif"),
  );
  return { dapi: dapi.image, cy3: cy3.image };
}

const WHOLE = { x0: 0, y0: 0, x1: 380, y1: 330 };

/** The fixtures segmented once, the whole crop being the recipe's crop. */
const segmented = fixtureSlides().then(({ dapi, cy3 }) =>
  segmentKaggleChromosomes(dapi, cy3, { crop: WHOLE }),
);

describe("segmentKaggleChromosomes (steps 1–5 on a crop of the published slide)", () => {
  it("finds the crop's 9 whole chromosomes and clears the 4 its border cuts", async () => {
    const { slide, findings } = await segmented;
    expect(findings.objects).toBe(9);
    for (const o of slide.objects) {
      expect(o.box.x0).toBeGreaterThanOrEqual(4);
      expect(o.box.y0).toBeGreaterThanOrEqual(4);
      expect(o.box.x1).toBeLessThanOrEqual(380 - 4);
      expect(o.box.y1).toBeLessThanOrEqual(330 - 4);
    }
  });

  it("keeps areas 0, 4 and 8 of the 9 in ascending order, each the decimated centred object", async () => {
    const { slide, chromosomes, findings } = await segmented;
    const areas = slide.objects.map((o) => o.area).sort((a, b) => a - b);
    expect(findings.distinctAreas).toBe(new Set(areas).size);
    expect(findings.keptAreas).toEqual([areas[0], areas[4], areas[8]]);
    const frame = {
      width: Math.max(...slide.objects.map((o) => o.box.x1 - o.box.x0)),
      height: Math.max(...slide.objects.map((o) => o.box.y1 - o.box.y0)),
    };
    expect(findings.frame).toEqual(frame);
    for (const c of chromosomes) {
      const o = slide.objects.find((x) => x.id === c.id)!;
      // area: the object's own pixels with grey > 0
      let own = 0;
      for (let y = o.box.y0; y < o.box.y1; y++)
        for (let x = o.box.x0; x < o.box.x1; x++) {
          const i = y * slide.grey.width + x;
          if (slide.labels[i] === o.id && slide.grey.data[i] > 0) own++;
        }
      expect(c.area).toBe(own);
      expect(c.grey).toEqual(decimatePlane(centred(o, frame), frame.width, frame.height).data);
      expect([c.width, c.height]).toEqual([
        Math.ceil(frame.width / 2),
        Math.ceil(frame.height / 2),
      ]);
    }
  });

  it("agrees with an independent numpy/scipy reproduction of steps 1–5 on the same crop", async () => {
    // computed with scipy 1.17's gaussian_filter, binary_erosion/dilation and label, a brute-force
    // OpenCV-convention top-hat and the recipe's centring and slicing (not with this code)
    const { findings } = await segmented;
    expect(findings.keptAreas).toEqual([787, 2057, 3777]);
    expect(findings.decimatedAreas).toEqual([198, 515, 946]);
    expect(findings.frame).toEqual({ width: 118, height: 131 });
  });

  it("refuses a full-range 16-bit channel, which the recipe's division by 16 does not fit", async () => {
    const folder = mkdtempSync(join(tmpdir(), "chromoseg-kaggle-"));
    const bright = join(folder, "bright.png");
    await sharp(new Uint16Array(16).fill(5000), { raw: { width: 4, height: 4, channels: 1 } })
      .toColourspace("grey16")
      .png()
      .toFile(bright);
    try {
      await expect(
        readKaggleChannels(join(FIXTURES, "dapi-jpp21-m3-crop.tif"), bright),
      ).rejects.toThrow(`${bright}: values above 4095`);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("refuses a DAPI and a Cy3 of different bit depths, which the recipe would scale differently", async () => {
    const folder = mkdtempSync(join(tmpdir(), "chromoseg-kaggle-"));
    const eightBit = join(folder, "cy3-8bit.png");
    await sharp(Buffer.alloc(380 * 330, 7), { raw: { width: 380, height: 330, channels: 1 } })
      .png()
      .toFile(eightBit);
    try {
      await expect(
        readKaggleChannels(join(FIXTURES, "dapi-jpp21-m3-crop.tif"), eightBit),
      ).rejects.toThrow(
        `the DAPI image is 12-bit ÷ 16 and the Cy3 image (${eightBit}) 8-bit: both must come from the same camera`,
      );
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("refuses slides of different sizes, and slides smaller than the recipe's crop", async () => {
    const { dapi, cy3 } = await fixtureSlides();
    const half = { width: 190, height: 330, data: cy3.data.subarray(0, 190 * 330) };
    expect(() => segmentKaggleChromosomes(dapi, half, { crop: WHOLE })).toThrow(
      "the DAPI image is 380 × 330 and the Cy3 image 190 × 330",
    );
    expect(() => segmentKaggleChromosomes(dapi, cy3)).toThrow(
      "the kaggle recipe crops rows 50–899 and columns 300–1149, but the images are 380 × 330",
    );
  });
});
