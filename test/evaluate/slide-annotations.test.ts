import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UserError } from "../../src/errors.js";
import {
  ANNOTATION_FORMAT,
  parseSlideAnnotations,
  readSlideAnnotations,
} from "../../src/evaluate/slide-annotations.js";
import { FIXTURES, temporaryFolder } from "../helpers.js";
import { annotation } from "./sample-annotation.js";

describe("slide annotations", () => {
  const valid = { format: "chromoseg-slide-annotations/1", slides: [annotation] };

  it("accepts the documented format", () => {
    expect(parseSlideAnnotations(valid, "a.json").slides[0].image).toBe("slide.tif");
  });

  it.each([
    [{ ...valid, format: "coco" }, /"format" must be/],
    [{ ...valid, slides: [] }, /at least one slide/],
    [{ ...valid, slides: [annotation, annotation] }, /annotated twice/],
    [{ ...valid, slides: [{ image: "x.tif" }] }, /crossings must be a list/],
    [
      { ...valid, slides: [{ image: "x.tif", crossings: [{ x: 1 }] }] },
      /crossings\[0\] needs numbers x and y/,
    ],
    [
      { ...valid, slides: [{ image: "x.tif", crossings: [], chromosomeCount: 4.5 }] },
      /whole number/,
    ],
    [
      { ...valid, slides: [{ image: "x.tif", crossings: [], clumps: [{ x: 1, y: 2 }] }] },
      /clumps\[0\]\.chromosomes must be a whole number, 2 or more/,
    ],
    [
      {
        ...valid,
        slides: [{ image: "x.tif", crossings: [], clumps: [{ x: 1, y: 2, chromosomes: 1 }] }],
      },
      /2 or more/,
    ],
  ])("refuses %j with its reason", (value, reason) => {
    expect(() => parseSlideAnnotations(value, "a.json")).toThrow(UserError);
    expect(() => parseSlideAnnotations(value, "a.json")).toThrow(reason);
  });
});

describe("reading slide annotations", () => {
  const folder = temporaryFolder();

  it("reads the fixture's annotations, in the documented format", async () => {
    const read = await readSlideAnnotations(join(FIXTURES, "slide-annotations.json"));
    expect(read.format).toBe(ANNOTATION_FORMAT);
    expect(read.slides.map((slide) => slide.image)).toContain("jpp21-m1-dapi.tif");
    const crossed = read.slides.find((slide) => slide.image === "jpp21-m1-dapi.tif")!;
    expect(crossed.crossings[0]).toMatchObject({ x: 437, y: 368 });
    expect(crossed.chromosomeCount).toBe(46);
  });

  it("refuses a missing file and one that is not JSON, naming the file", async () => {
    const missing = join(folder, "missing.json");
    await expect(readSlideAnnotations(missing)).rejects.toThrow(
      new UserError(`${missing}: cannot read (ENOENT)`),
    );
    const broken = join(folder, "broken.json");
    writeFileSync(broken, '{ "format": ');
    await expect(readSlideAnnotations(broken)).rejects.toThrow(
      new UserError(`${broken}: not valid JSON`),
    );
  });

  it("checks what it reads, naming the file in the reason", async () => {
    const wrong = join(folder, "wrong.json");
    writeFileSync(wrong, JSON.stringify({ format: ANNOTATION_FORMAT, slides: [] }));
    await expect(readSlideAnnotations(wrong)).rejects.toThrow(
      `${wrong}: "slides" must list at least one slide`,
    );
  });
});
