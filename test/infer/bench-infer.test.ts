import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { benchmarkInference } from "../../src/infer/bench-infer.js";
import { segnetMultiplyAdds } from "../../src/model/config.js";
import { padUp } from "../../src/model/input.js";
import { parseMetadata } from "../../src/onnx/metadata.js";
import { readMetadataProps } from "../../src/onnx/onnx-graph.js";
import { DAPI_CROP, LITE_MODEL } from "../helpers.js";

/** cold-start.ts from the source: the default probe is the built one beside the built module. */
const SOURCE_PROBE = {
  file: fileURLToPath(new URL("../../src/infer/cold-start.ts", import.meta.url)),
  nodeArguments: ["--import", "tsx"],
};

describe("benchmarkInference", () => {
  it("measures both engines on crops of the size asked, a slide and a cold start", async () => {
    const stages: string[] = [];
    // small crops keep it short; 41 × 39 pads to a multiple of the model's divisor
    const crop = { height: 41, width: 39 };
    const bench = await benchmarkInference({
      model: LITE_MODEL,
      slide: DAPI_CROP,
      crop,
      crops: 32,
      threads: 1,
      coldStartProbe: SOURCE_PROBE,
      onStage: (line) => stages.push(line),
    });
    expect(stages).toEqual([
      "onnxruntime, batch 1 and 32",
      "tfjs wasm, batch 32",
      `whole slide: ${DAPI_CROP}`,
      "cold start",
    ]);

    const metadata = parseMetadata(readMetadataProps(await readFile(LITE_MODEL)));
    const divisor = metadata.input.sizeDivisor;
    const padded = { height: padUp(41, divisor), width: padUp(39, divisor) };
    expect(bench.paddedCrop).toEqual(padded);
    expect(bench.preset).toBe(metadata.network.preset);
    expect(bench.slide).toBe(DAPI_CROP);

    const { speeds, coldStart } = bench;
    // the keys, in order, of bench infer --json
    expect(Object.keys(speeds)).toEqual([
      "onnxruntime",
      "tfjsWasm",
      "ratio",
      "slideSeconds",
      "coldStartSeconds",
      "macsPerCrop",
    ]);
    expect(speeds.macsPerCrop).toBe(
      segnetMultiplyAdds(metadata.network.config!, padded.height, padded.width),
    );
    for (const speed of [
      speeds.onnxruntime.batch1,
      speeds.onnxruntime.batch32,
      speeds.tfjsWasm.batch32,
    ]) {
      expect(speed).toBeGreaterThan(0);
    }
    expect(speeds.ratio).toBeCloseTo(speeds.onnxruntime.batch32 / speeds.tfjsWasm.batch32, 9);
    expect(speeds.slideSeconds).toBeGreaterThan(0);
    expect(coldStart.booted).toBeLessThanOrEqual(coldStart.modulesLoaded);
    expect(coldStart.modulesLoaded).toBeLessThanOrEqual(coldStart.sessionCreated);
    expect(coldStart.sessionCreated).toBeLessThanOrEqual(coldStart.firstResult);
    expect(speeds.coldStartSeconds).toBe(coldStart.firstResult / 1000);
  }, 180_000);
});
