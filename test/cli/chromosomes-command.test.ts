import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, describe, expect, it, vi } from "vitest";
import { chromosomesCommand } from "../../src/cli/chromosomes-command.js";
import { FIXTURES } from "../helpers.js";

const folder = mkdtempSync(join(tmpdir(), "chromoseg-chromosomes-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** A 1536 × 1024 black 16-bit slide with `fixture` (a 380 × 330 crop) back where it was cut from, at (400, 150). */
async function slideAround(fixture: string, name: string): Promise<string> {
  const { data, info } = await sharp(join(FIXTURES, fixture))
    .toColourspace("grey16")
    .raw({ depth: "ushort" })
    .toBuffer({ resolveWithObject: true });
  const crop = new Uint16Array(data.buffer, data.byteOffset, data.length / 2);
  const slide = new Uint16Array(1536 * 1024);
  for (let y = 0; y < info.height; y++)
    slide.set(crop.subarray(y * info.width, (y + 1) * info.width), (150 + y) * 1536 + 400);
  const file = join(folder, name);
  await sharp(slide, { raw: { width: 1536, height: 1024, channels: 1 } })
    .toColourspace("grey16")
    .png()
    .toFile(file);
  return file;
}

async function run(...args: string[]): Promise<string> {
  const log = vi.spyOn(console, "log").mockImplementation(() => {});
  try {
    await chromosomesCommand().exitOverride().parseAsync(args, { from: "user" });
    return log.mock.calls.map((call) => call.join(" ")).join("\n");
  } finally {
    log.mockRestore();
  }
}

describe("chromoseg chromosomes --preset kaggle", () => {
  it("shows the recipe's segmentation: outlines of the crop, the kept chromosomes, what each step found", async () => {
    const dapi = await slideAround("dapi-jpp21-m3-crop.tif", "dapi.png");
    const cy3 = await slideAround("cy3-jpp21-m3-crop.tif", "cy3.png");
    const out = join(folder, "kaggle");
    const printed = await run(dapi, "--preset", "kaggle", "--cy3", cy3, "--out", out);
    const written = JSON.parse(readFileSync(join(out, "objects.json"), "utf8"));
    const { findings } = written;
    expect(written.crop).toEqual({ x0: 300, y0: 50, x1: 1150, y1: 900 });
    // the recipe's crop holds the whole fixture in black: its 9 whole chromosomes and the 4 its own
    // border cuts (test/fixtures/README.md)
    expect(findings.objects).toBe(13);
    expect(findings.keptAreas).toHaveLength(Math.ceil(findings.distinctAreas / 4));
    expect(written.objects).toHaveLength(findings.objects);
    const fates = written.objects.map((o: { fate: string }) => o.fate);
    expect(fates.filter((f: string) => f === "kept")).toHaveLength(findings.keptAreas.length);
    expect(printed).toContain(
      `${findings.objects} objects, ${findings.distinctAreas} distinct areas`,
    );
    expect(printed).toContain(findings.keptAreas.join("  "));
    const outlines = await sharp(join(out, "outlines.png")).metadata();
    expect([outlines.width, outlines.height]).toEqual([850, 850]);
    const sheet = await sharp(join(out, "kaggle-chromosomes.png")).metadata();
    expect(sheet.width).toBeGreaterThan(0);
  });

  it("finds on the fixture crop, as the recipe's --crop, what an independent numpy/scipy reproduction finds", async () => {
    const out = join(folder, "kaggle-fixture");
    const printed = await run(
      join(FIXTURES, "dapi-jpp21-m3-crop.tif"),
      ...["--preset", "kaggle", "--cy3", join(FIXTURES, "cy3-jpp21-m3-crop.tif")],
      ...["--crop", "0,0,380,330", "--out", out],
    );
    // the figures of test/generate/kaggle/segment.test.ts, computed with scipy, not with this code
    const { crop, findings, objects } = JSON.parse(readFileSync(join(out, "objects.json"), "utf8"));
    expect(crop).toEqual({ x0: 0, y0: 0, x1: 380, y1: 330 });
    expect(findings).toMatchObject({
      objects: 9,
      keptAreas: [787, 2057, 3777],
      decimatedAreas: [198, 515, 946],
      frame: { width: 118, height: 131 },
    });
    const kept = objects.filter((o: { fate: string }) => o.fate === "kept");
    expect(kept.map((o: { area: number }) => o.area).sort((a: number, b: number) => a - b)).toEqual(
      [787, 2057, 3777],
    );
    expect(printed).toContain("rows 0–329, columns 0–379: 9 objects");
    expect(printed).toMatch(/area\s+787\s+2057\s+3777/);
    expect(printed).toMatch(/decimated\s+198\s+515\s+946/);
    const outlines = await sharp(join(out, "outlines.png")).metadata();
    expect([outlines.width, outlines.height]).toEqual([380, 330]);
  });

  it("refuses a --crop that is not four whole numbers x0,y0,x1,y1 around something", async () => {
    for (const crop of ["0,0,380", "0,0,0,330", "0,-1,380,330", "0,0,1.5,330"])
      await expect(
        run(join(FIXTURES, "dapi-jpp21-m3-crop.tif"), "--crop", crop, "--out", folder),
      ).rejects.toThrow("expected x0,y0,x1,y1");
  });

  it("needs --cy3", async () => {
    await expect(
      run(join(FIXTURES, "dapi-jpp21-m3-crop.tif"), "--preset", "kaggle", "--out", folder),
    ).rejects.toThrow("--preset kaggle needs --cy3 <file>");
  });
});
