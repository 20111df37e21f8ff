import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import * as tf from "@tensorflow/tfjs";
import { Command, Option } from "commander";
import sharp from "sharp";
import { decimatePlane } from "../image/decimate.js";
import type { GreyImage } from "../image/grey-image.js";
import { readGreyImage } from "../image/grey-image.js";
import { OnnxModel } from "../onnx/onnx-model.js";
import { segmentCrops } from "../infer/segment-crops.js";
import { segmentImage } from "../infer/segment-image.js";
import { writeSegmentOutputs } from "../infer/write-outputs.js";
import { selectBackend } from "../model/backend.js";
import { DEFAULT_MODEL, DEFAULT_MODEL_NAME } from "../default-model.js";
import { segnetFromOnnx } from "../export/onnx-to-layers.js";
import { segnetMultiplyAdds } from "../model/config.js";
import { normalizedBatch, padUp } from "../model/input.js";
import { loadModel } from "../model/storage.js";
import { SAMPLE_METAPHASE } from "../sample-images.js";
import { UserError } from "../errors.js";
import { measurePeak } from "./machine.js";
import { table } from "../format.js";
import { examples, integer } from "./options.js";

const DEFAULT_SLIDE = "../shared/data/metaphases/jpp21-m1-dapi.tif";
const CROP_HEIGHT = 94;
const CROP_WIDTH = 93;

interface BenchInferFlags {
  model: string;
  tfjsModel?: string;
  slide?: string;
  crops: number;
  threads: number;
  json?: boolean;
}

export function benchInferCommand(): Command {
  return new Command("infer")
    .description(
      `Inference speed, in one run: onnxruntime-node on ${CROP_HEIGHT} × ${CROP_WIDTH} crops (cut from the ` +
        "sample metaphase decimated ÷ 2, padded to the model's multiple) at batch 1 and batch 32, through the " +
        "engine (padding, inference, labels); tfjs wasm predict of the same model on the same crops at batch " +
        "32 (probabilities only), and their ratio; each throughput the median of 3 passes. A whole slide " +
        "from file to written outputs (median of 3, session warm); cold start: a new process from its start " +
        "through loading the modules and creating the session to its first result on one crop (median of " +
        "3). Also the multiply-adds per crop and the fraction of the machine's peak each throughput reaches, " +
        "the peak measured in the same run as the speed of onnxruntime's MatMul of two 1024 × 1024 " +
        "matrices. Each figure is timed after one warm-up run.",
    )
    .addOption(
      new Option("-m, --model <file.onnx>", "the ONNX model").default(
        DEFAULT_MODEL,
        DEFAULT_MODEL_NAME,
      ),
    )
    .option(
      "--tfjs-model <dir>",
      "the same model in tfjs format (default: rebuilt in tfjs from the ONNX file's configuration and weights)",
    )
    .option(
      "--slide <file>",
      `a whole metaphase (default: ${DEFAULT_SLIDE}, or the sample metaphase where it is missing)`,
    )
    .option("--crops <n>", "crops per throughput measurement", integer(32), 256)
    .option("--threads <n>", "threads of both engines", integer(1), availableParallelism())
    .option(
      "--json",
      'print one JSON object: {"onnxruntime": {"batch1", "batch32"}, "tfjsWasm": {"batch32"}, "ratio", ' +
        '"slideSeconds", "coldStartSeconds", "macsPerCrop"} (throughputs in crops/s)',
    )
    .addHelpText("after", examples("chromoseg bench infer", "chromoseg bench infer --json"))
    .action(async (flags: BenchInferFlags) => {
      const slideFile =
        flags.slide ?? (existsSync(DEFAULT_SLIDE) ? DEFAULT_SLIDE : SAMPLE_METAPHASE);
      const log = (line: string) => flags.json || console.error(line);
      const crops = await sampleCrops(flags.crops);
      const model = await OnnxModel.load(flags.model, { threads: flags.threads });
      const config = model.metadata.network.config;
      if (!config) throw new UserError(`${flags.model}: its metadata has no network configuration`);
      const divisor = model.metadata.input.sizeDivisor;
      const macsPerCrop = segnetMultiplyAdds(
        config,
        padUp(CROP_HEIGHT, divisor),
        padUp(CROP_WIDTH, divisor),
      );

      log("onnxruntime, batch 1 and 32");
      const batch1 = await cropsPerSecond(crops, (c) => segmentCrops(model, c, { batchSize: 1 }));
      const batch32 = await cropsPerSecond(crops, (c) => segmentCrops(model, c, { batchSize: 32 }));
      log("tfjs wasm, batch 32");
      await selectBackend("wasm", flags.threads);
      const tfjsModel = flags.tfjsModel
        ? await loadModel(flags.tfjsModel)
        : segnetFromOnnx(await readFile(flags.model), model.metadata, flags.model);
      const tfjsWasm = await tfjsCropsPerSecond(tfjsModel, crops, divisor);
      log(`whole slide: ${slideFile}`);
      const slideSeconds = await slideTime(model, slideFile);
      await model.release();
      log("cold start");
      const cold = await coldStart(flags.model, crops[0], flags.threads);

      const result = {
        onnxruntime: { batch1, batch32 },
        tfjsWasm: { batch32: tfjsWasm },
        ratio: batch32 / tfjsWasm,
        slideSeconds,
        coldStartSeconds: cold.firstResult / 1000,
        macsPerCrop,
      };
      if (flags.json) {
        console.log(JSON.stringify(result));
        return;
      }
      const peak = await measurePeak(flags.threads);
      const fraction = (cropsPerSec: number) =>
        `${((100 * 2 * macsPerCrop * cropsPerSec) / peak.flops).toFixed(1)} %`;
      console.log(
        `${model.metadata.network.preset ?? "model"}: ${(macsPerCrop / 1e6).toFixed(0)} M multiply-adds per ` +
          `${CROP_HEIGHT} × ${CROP_WIDTH} crop (padded to ${padUp(CROP_HEIGHT, divisor)} × ${padUp(CROP_WIDTH, divisor)}); ` +
          `${flags.crops} crops per measurement, ${flags.threads} threads`,
      );
      console.log(
        table([
          ["engine", "batch", "crops/s", "of peak"],
          ["onnxruntime-node", 1, batch1.toFixed(0), fraction(batch1)],
          ["onnxruntime-node", 32, batch32.toFixed(0), fraction(batch32)],
          ["tfjs wasm predict", 32, tfjsWasm.toFixed(0), fraction(tfjsWasm)],
        ]),
      );
      console.log(`onnxruntime / tfjs wasm at batch 32: ${result.ratio.toFixed(1)} ×`);
      console.log(
        `whole slide (${slideFile}), file to written outputs: ${slideSeconds.toFixed(2)} s`,
      );
      console.log(
        `cold start: ${(cold.firstResult / 1000).toFixed(2)} s (node started ${ms(cold.booted)}, ` +
          `modules loaded +${ms(cold.modulesLoaded - cold.booted)}, session created ` +
          `+${ms(cold.sessionCreated - cold.modulesLoaded)}, first result +${ms(cold.firstResult - cold.sessionCreated)})`,
      );
      console.log(`peak: ${peak.description}`);
    });
}

/** `count` real crops: windows of the sample metaphase, decimated ÷ 2 as the training data. */
async function sampleCrops(count: number): Promise<GreyImage[]> {
  const slide = (await readGreyImage(SAMPLE_METAPHASE)).image;
  const half = decimatePlane(slide.data, slide.width, slide.height);
  const columns = Math.floor(half.width / CROP_WIDTH);
  const rows = Math.floor(half.height / CROP_HEIGHT);
  // the grid of windows repeats when count exceeds it: speed does not depend on the values
  return Array.from({ length: count }, (_, k) => {
    const x0 = (k % columns) * CROP_WIDTH;
    const y0 = (Math.floor(k / columns) % rows) * CROP_HEIGHT;
    const data = new Uint8Array(CROP_WIDTH * CROP_HEIGHT);
    for (let y = 0; y < CROP_HEIGHT; y++) {
      const from = (y0 + y) * half.width + x0;
      data.set(half.data.subarray(from, from + CROP_WIDTH), y * CROP_WIDTH);
    }
    return { width: CROP_WIDTH, height: CROP_HEIGHT, data };
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

/** `model` on the tfjs backend already selected. */
async function tfjsCropsPerSecond(
  model: tf.LayersModel,
  crops: GreyImage[],
  divisor: number,
): Promise<number> {
  const height = padUp(CROP_HEIGHT, divisor);
  const width = padUp(CROP_WIDTH, divisor);
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

interface ColdStart {
  booted: number;
  modulesLoaded: number;
  sessionCreated: number;
  firstResult: number;
}

/** Median of 3 fresh processes (by time to first result). */
async function coldStart(modelFile: string, crop: GreyImage, threads: number): Promise<ColdStart> {
  const folder = await mkdtemp(join(tmpdir(), "chromoseg-cold-"));
  const image = join(folder, "crop.png");
  await sharp(crop.data, { raw: { width: crop.width, height: crop.height, channels: 1 } })
    .png()
    .toFile(image);
  const probe = fileURLToPath(new URL("../infer/cold-start.js", import.meta.url));
  const runs: ColdStart[] = [];
  try {
    for (let k = 0; k < 3; k++) {
      const { stdout } = await promisify(execFile)(process.execPath, [
        probe,
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

function ms(value: number): string {
  return `${value.toFixed(0)} ms`;
}
