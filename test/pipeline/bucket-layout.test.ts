/** The bucket layout shared by the infrastructure, the handler and the local emulation. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { IMAGE_SUFFIXES } from "../../src/image/image-files.js";
import {
  DATASETS_PREFIX,
  MODELS_PREFIX,
  RESULTS_PREFIX,
  TRIGGER_SUFFIXES,
  UPLOADS_PREFIX,
  hasDotSegments,
  isImageName,
  triggersSegmentation,
} from "../../src/pipeline/bucket-layout.js";

describe("bucket layout", () => {
  const prefixes = [UPLOADS_PREFIX, RESULTS_PREFIX, MODELS_PREFIX, DATASETS_PREFIX];

  it("has four top-level folders, none inside another", () => {
    expect(prefixes).toEqual(["uploads/", "results/", "models/", "datasets/"]);
    for (const a of prefixes) {
      for (const b of prefixes) if (a !== b) expect(a.startsWith(b)).toBe(false);
    }
  });

  it("triggers on each image suffix in lower and upper case", () => {
    expect(TRIGGER_SUFFIXES).toEqual(
      IMAGE_SUFFIXES.flatMap((suffix) => [suffix, suffix.toUpperCase()]),
    );
    expect(triggersSegmentation("uploads/a.jpeg")).toBe(true);
    expect(triggersSegmentation("uploads/A.JPEG")).toBe(true);
    expect(triggersSegmentation("uploads/a.Jpeg")).toBe(false);
    expect(triggersSegmentation(`${RESULTS_PREFIX}a.png`)).toBe(false);
  });

  it("never triggers on a key the handler would refuse", () => {
    for (const suffix of TRIGGER_SUFFIXES) {
      expect(isImageName(`${UPLOADS_PREFIX}x${suffix}`)).toBe(true);
    }
  });

  it("tells keys with '.' or '..' path segments, which a folder-backed bucket would resolve", () => {
    const dotted = {
      "uploads/../../x.png": true,
      "uploads/./a.png": true,
      "uploads/a/../b.png": true,
      "uploads/..": true,
      "uploads/a.png": false,
      "uploads/..a.png": false,
      "uploads/a../b.png": false,
      "uploads/.hidden.png": false,
    };
    for (const [key, expected] of Object.entries(dotted))
      expect(hasDotSegments(key), key).toBe(expected);
  });

  it("re-exports the image suffixes rather than copying them, and imports nothing heavy", () => {
    const source = readFileSync(
      new URL("../../src/pipeline/bucket-layout.ts", import.meta.url),
      "utf8",
    );
    const imports = [...source.matchAll(/^import .* from "(.*)";$/gm)].map((match) => match[1]);
    expect(imports).toEqual(["../image/image-files.js"]);
  });
});
