/**
 * `chromoseg bench infer`'s work: the speed of inference with onnxruntime-node on dataset-sized
 * crops at batch 1 and 32, of tfjs wasm on the same crops, of a whole slide from file to written
 * outputs, and of a fresh process's way to its first result (see bench infer --help).
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import * as tf from "@tensorflow/tfjs";
import sharp from "sharp";
import { UserError } from "../errors.js";
import { segnetFromOnnx } from "../export/onnx-to-layers.js";
import { SAMPLE_FRAME } from "../data/samples.js";
import { decimatePlane } from "../image/decimate.js";
import type { GreyImage } from "../image/grey-image.js";
import { readGreyImage } from "../image/grey-image.js";
import { selectBackend } from "../model/backend.js";
import { segnetMultiplyAdds } from "../model/config.js";
import { normalizedBatch, padUp } from "../model/input.js";
import { loadModel } from "../model/storage.js";
import { OnnxModel } from "../onnx/onnx-model.js";
import { SAMPLE_METAPHASE } from "../sample-images.js";
import { segmentCrops } from "./segment-crops.js";
import { segmentImage } from "./segment-image.js";
import { writeSegmentOutputs } from "./write-outputs.js";

/** The whole metaphase timed by default, where the shared data is (else the sample metaphase). */
export const DEFAULT_SLIDE = "../shared/data/metaphases/jpp21-m1-dapi.tif";

export interface BenchInferOptions {
  /** The ONNX model. */
  model: string;
  /** The same model in tfjs format. @default rebuilt in tfjs from the ONNX file */
  tfjsModel?: string;
  /** A whole metaphase. @default DEFAULT_SLIDE, or SAMPLE_METAPHASE where it is missing */
  slide?: string;
  /** The crops' size, before padding to the model's multiple. @default SAMPLE_FRAME (the dataset's) */
  crop?: { height: number; width: number };
  /** Crops per throughput measurement. */
  crops: number;
  /** Threads of both engines. */
  threads: number;
  /** How the cold start's process runs `cold-start.ts`. @default node and the built cold-start.js beside this module */
  coldStartProbe?: ColdStartProbe;
  /** Called as each measurement begins, with a line saying which. */
  onStage?: (line: string) => void;
}

/** What `bench infer --json` prints: throughputs in crops/s, times in seconds. */
export interface InferenceSpeeds {
  onnxruntime: { batch1: number; batch32: number };
  tfjsWasm: { batch32: number };
  /** onnxruntime over tfjs wasm at batch 32. */
  ratio: number;
  slideSeconds: number;
  coldStartSeconds: number;
  macsPerCrop: number;
}

export interface InferenceBenchmark {
  speeds: InferenceSpeeds;
  /** The model's preset, where its metadata names one. */
  preset: string | null;
  /** The crop as the model sees it, padded to its multiple. */
  paddedCrop: { height: number; width: number };
  /** The slide timed. */
  slide: string;
  /** The median cold start, in its stages. */
  coldStart: ColdStart;
}

/** Milliseconds since the process started, as `cold-start.ts` prints them. */
export interface ColdStart {
  booted: number;
  modulesLoaded: number;
  sessionCreated: number;
  firstResult: number;
}

/** A command that runs `cold-start.ts`: node with `nodeArguments`, then `file`. */
export interface ColdStartProbe {
  file: string;
  nodeArguments?: string[];
}

/** Measures everything `bench infer` reports, the machine's peak apart. */
export async function benchmarkInference(options: BenchInferOptions): Promise<InferenceBenchmark> {
  const { crop = SAMPLE_FRAME, threads } = options;
  const slide = options.slide ?? (existsSync(DEFAULT_SLIDE) ? DEFAULT_SLIDE : SAMPLE_METAPHASE);
  const log = (line: string) => options.onStage?.(line);
  const crops = await sampleCrops(options.crops, crop.height, crop.width);
  const model = await OnnxModel.load(options.model, { threads });
  const config = model.metadata.network.config;
  if (!config) throw new UserError(`${options.model}: its metadata has no network configuration`);
  const divisor = model.metadata.input.sizeDivisor;
  const paddedCrop = { height: padUp(crop.height, divisor), width: padUp(crop.width, divisor) };
  const macsPerCrop = segnetMultiplyAdds(config, paddedCrop.height, paddedCrop.width);

  log("onnxruntime, batch 1 and 32");
  const batch1 = await cropsPerSecond(crops, (c) => segmentCrops(model, c, { batchSize: 1 }));
  const batch32 = await cropsPerSecond(crops, (c) => segmentCrops(model, c, { batchSize: 32 }));
  log("tfjs wasm, batch 32");
  await selectBackend("wasm", threads);
  const tfjsModel = options.tfjsModel
    ? await loadModel(options.tfjsModel)
    : segnetFromOnnx(await readFile(options.model), model.metadata, options.model);
  const tfjsWasm = await tfjsCropsPerSecond(tfjsModel, crops, paddedCrop);
  log(`whole slide: ${slide}`);
  const slideSeconds = await slideTime(model, slide);
  await model.release();
  log("cold start");
  const coldStart = await coldStartTime(options.model, crops[0], threads, options.coldStartProbe);
  return {
    speeds: {
      onnxruntime: { batch1, batch32 },
      tfjsWasm: { batch32: tfjsWasm },
      ratio: batch32 / tfjsWasm,
      slideSeconds,
      coldStartSeconds: coldStart.firstResult / 1000,
      macsPerCrop,
    },
    preset: model.metadata.network.preset,
    paddedCrop,
    slide,
    coldStart,
  };
}

/** `count` real crops: windows of the sample metaphase, decimated ÷ 2 as the training data. */
async function sampleCrops(count: number, height: number, width: number): Promise<GreyImage[]> {
  const slide = (await readGreyImage(SAMPLE_METAPHASE)).image;
  const half = decimatePlane(slide.data, slide.width, slide.height);
  const columns = Math.floor(half.width / width);
  const rows = Math.floor(half.height / height);
  // the grid of windows repeats when count exceeds it: speed does not depend on the values
  return Array.from({ length: count }, (_, k) => {
    const x0 = (k % columns) * width;
    const y0 = (Math.floor(k / columns) % rows) * height;
    const data = new Uint8Array(width * height);
    for (let y = 0; y < height; y++) {
      const from = (y0 + y) * half.width + x0;
      data.set(half.data.subarray(from, from + width), y * width);
    }
    return { width, height, data };
  });
}

/** Passes over all crops per measurement; the median counts, so one disturbed pass does not. */
const PASSES = 3;

/** Crops per second of `run` over all crops (the median of PASSES), after a warm-up on the first 32. */
async function cropsPerSecond(
  crops: GreyImage[],
  run: (crops: GreyImage[]) => Promise<unknown>,
): Promise<number> {
  await run(crops.slice(0, 32));
  const speeds: number[] = [];
  for (let pass = 0; pass < PASSES; pass++) {
    const started = performance.now();
    await run(crops);
    speeds.push(crops.length / ((performance.now() - started) / 1000));
  }
  return speeds.sort((a, b) => a - b)[Math.floor(PASSES / 2)];
}

/** `model` on the tfjs backend already selected, on crops padded to `padded`; disposes `model`. */
async function tfjsCropsPerSecond(
  model: tf.LayersModel,
  crops: GreyImage[],
  padded: { height: number; width: number },
): Promise<number> {
  const { height, width } = padded;
  const speed = await cropsPerSecond(crops, async (chosen) => {
    for (let start = 0; start < chosen.length; start += 32) {
      const batch = chosen.slice(start, start + 32);
      const input = normalizedBatch(batch, height, width);
      const output = tf.tidy(
        () => model.predict(tf.tensor4d(input, [batch.length, height, width, 1])) as tf.Tensor,
      );
      await output.data();
      output.dispose();
    }
  });
  model.dispose();
  return speed;
}

/** Median seconds of 3 runs from reading the file to the written outputs, after a warm-up. */
async function slideTime(model: OnnxModel, file: string): Promise<number> {
  const out = await mkdtemp(join(tmpdir(), "chromoseg-bench-"));
  const once = async () => {
    const started = performance.now();
    await writeSegmentOutputs(out, await segmentImage(model, await readFile(file), file));
    return (performance.now() - started) / 1000;
  };
  try {
    await once();
    return median([await once(), await once(), await once()]);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

/** Median of 3 fresh processes (by time to first result). */
async function coldStartTime(
  modelFile: string,
  crop: GreyImage,
  threads: number,
  probe: ColdStartProbe = { file: fileURLToPath(new URL("./cold-start.js", import.meta.url)) },
): Promise<ColdStart> {
  const folder = await mkdtemp(join(tmpdir(), "chromoseg-cold-"));
  const image = join(folder, "crop.png");
  await sharp(crop.data, { raw: { width: crop.width, height: crop.height, channels: 1 } })
    .png()
    .toFile(image);
  const runs: ColdStart[] = [];
  try {
    for (let k = 0; k < 3; k++) {
      const { stdout } = await promisify(execFile)(process.execPath, [
        ...(probe.nodeArguments ?? []),
        probe.file,
        modelFile,
        image,
        String(threads),
      ]);
      runs.push(JSON.parse(stdout) as ColdStart);
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
  return runs.sort((a, b) => a.firstResult - b.firstResult)[1];
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}
