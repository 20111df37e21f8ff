import { execFile, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { File, ready } from "h5wasm/node";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { writeDataset } from "../src/data/hdf5.js";
import { allocateSamples } from "../src/data/samples.js";
import { OnnxModel } from "../src/onnx/onnx-model.js";
import { MODEL_POINTER_KEY } from "../src/pipeline/model-pointer.js";
import { startLocalBucket } from "../src/pipeline/local-bucket.js";
import { DAPI_CROP, LITE_MODEL, REPLICA_SAMPLE, linkedFolder, temporaryFolder } from "./helpers.js";

const BIN = fileURLToPath(new URL("../bin/chromoseg.js", import.meta.url));
const folder = temporaryFolder();

/** The part of a `bench generate --json` run these tests read. */
interface BenchGenerateRun {
  preset: string;
  images: string[];
  output: string;
  samples: number;
  attributes: Record<string, unknown>;
  peakRssBytes: number;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built command line (`npm test` builds it first). */
async function chromoseg(...args: string[]): Promise<Run> {
  return chromosegIn(process.cwd(), ...args);
}

/** Runs the built command line in the folder `cwd`. */
async function chromosegIn(cwd: string, ...args: string[]): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], {
      cwd,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(() => {
  if (!existsSync(fileURLToPath(new URL("../dist/cli.js", import.meta.url)))) {
    throw new Error("dist/ is missing: run `npm run build` (npm test does) before these tests");
  }
});

describe("chromoseg command line", () => {
  it("answers --help for every command with examples", async () => {
    for (const command of [
      "generate",
      "chromosomes",
      "inspect",
      "train",
      "evaluate",
      "evaluate-slides",
      "export",
      "segment",
      "bench generate",
      "bench train",
      "bench kernels",
      "bench infer",
      "models list",
      "models promote",
      "local",
      "local train",
      "submit-training",
    ]) {
      const { code, stdout } = await chromoseg(...command.split(" "), "--help");
      expect(code).toBe(0);
      expect(stdout).toMatch(/^Usage: chromoseg /);
      expect(stdout).toContain("Examples:\n  $ chromoseg ");
    }
  });

  it("prints its version, package.json's", async () => {
    const { code, stdout } = await chromoseg("--version");
    expect(code).toBe(0);
    const { version } = JSON.parse(
      readFileSync(new URL("../package.json", import.meta.url), "utf8"),
    ) as { version: string };
    expect(stdout.trim()).toBe(version);
  });

  it("segments a folder, goes on past bad files, lists each failure and exits with 1", async () => {
    const inputs = join(folder, "uploads");
    const out = join(folder, "segmented");
    mkdirSync(join(inputs, "day 1"), { recursive: true });
    copyFileSync(REPLICA_SAMPLE, join(inputs, "day 1", "pair.PNG"));
    writeFileSync(join(inputs, "empty.png"), "");
    writeFileSync(join(inputs, "notes.txt"), "not an image, and not picked from a folder");
    const { code, stdout, stderr } = await chromoseg(
      "segment",
      inputs,
      "--model",
      LITE_MODEL,
      "--out",
      out,
    );
    expect(code).toBe(1);
    expect(stdout).toMatch(/pair\.PNG\s+93 × 94\s+crop/);
    expect(stdout).toContain("1 of 2 images segmented");
    expect(stderr).toContain(`1 failed:\n  ${join(inputs, "empty.png")}: empty file (0 bytes)`);
    const report = JSON.parse(readFileSync(join(out, "day 1", "pair.PNG", "report.json"), "utf8"));
    expect(report).toMatchObject({ mode: "crop", width: 93, height: 94 });
    expect(existsSync(join(out, "day 1", "pair.PNG", "overlay.png"))).toBe(true);
    expect(JSON.parse(readFileSync(join(out, "empty.png", "error.json"), "utf8"))).toEqual({
      image: join(inputs, "empty.png"),
      reason: `${join(inputs, "empty.png")}: empty file (0 bytes)`,
    });
  });

  it("replaces the outputs of a file segmented again: a failure leaves only its error.json", async () => {
    const input = join(folder, "replaced", "slide.png");
    const out = join(folder, "replaced-out");
    mkdirSync(join(folder, "replaced"), { recursive: true });
    copyFileSync(REPLICA_SAMPLE, input);
    const segment = () => chromoseg("segment", input, "--model", LITE_MODEL, "--out", out);
    expect((await segment()).code).toBe(0);
    expect(readdirSync(join(out, "slide.png")).sort()).toEqual([
      "labels.png",
      "overlay.png",
      "report.json",
    ]);
    writeFileSync(input, "not a png any more");
    const { code, stderr } = await segment();
    expect(code).toBe(1);
    expect(stderr).toContain(`1 failed:\n  ${input}: not a readable image`);
    expect(readdirSync(join(out, "slide.png"))).toEqual(["error.json"]);
    const error = JSON.parse(readFileSync(join(out, "slide.png", "error.json"), "utf8"));
    expect(error).toMatchObject({ image: input, reason: expect.stringMatching(/not a readable/) });
    copyFileSync(REPLICA_SAMPLE, input);
    expect((await segment()).code).toBe(0);
    expect(readdirSync(join(out, "slide.png")).sort()).toEqual([
      "labels.png",
      "overlay.png",
      "report.json",
    ]);
  });

  it("segments with the shipped model when no --model is given", async () => {
    const out = join(folder, "segmented-by-default");
    const { code } = await chromoseg("segment", REPLICA_SAMPLE, "--out", out);
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(join(out, "replica-sample.png", "report.json"), "utf8"));
    const shipped = createHash("sha256")
      .update(readFileSync(fileURLToPath(new URL("../models/default.onnx", import.meta.url))))
      .digest("hex");
    expect(report.model).toMatchObject({ file: "default.onnx", sha256: shipped });
  });

  it("benchmarks the shipped model with no --model from a folder without runs/", async () => {
    const elsewhere = join(folder, "fresh-clone-bench");
    mkdirSync(elsewhere);
    const bench = await chromosegIn(
      elsewhere,
      ...["bench", "infer", "--slide", DAPI_CROP, "--crops", "32", "--threads", "1", "--json"],
    );
    expect(bench.stderr).toBe("");
    expect(bench.code).toBe(0);
    const speed = JSON.parse(bench.stdout) as { tfjsWasm: { batch32: number }; ratio: number };
    expect(speed.tfjsWasm.batch32).toBeGreaterThan(0);
    expect(speed.ratio).toBeGreaterThan(0);
  }, 120_000);

  it("runs images through the local pipeline and writes a page of inputs beside overlays", async () => {
    const out = join(folder, "local-out");
    const { code, stdout } = await chromoseg(
      "local",
      REPLICA_SAMPLE,
      ...["--data", join(folder, "local-s3"), "--out", out, "--port", "0"],
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/uploads\/replica-sample\.png\s+93 × 94\s+crop/);
    const page = readFileSync(join(out, "index.html"), "utf8");
    expect(page).toContain('<img src="replica-sample.png/overlay.png" alt="overlay">');
    for (const file of ["input.png", "overlay.png", "labels.png", "report.json"])
      expect(existsSync(join(out, "replica-sample.png", file))).toBe(true);
  });

  it("reports a text file or a truncated HDF5 file in one line naming it, with exit code 1", async () => {
    const notHdf5 = join(folder, "notes.h5");
    writeFileSync(notHdf5, "not a dataset");
    const truncated = join(folder, "truncated.h5");
    const whole = join(folder, "whole.h5");
    await writeDataset(whole, allocateSamples(2, 8, 8));
    writeFileSync(truncated, readFileSync(whole).subarray(0, 1000));
    for (const file of [notHdf5, truncated]) {
      const { code, stderr } = await chromoseg("inspect", file);
      expect(code).toBe(1);
      expect(stderr).toMatch(/^chromoseg: \S+: not a readable HDF5 file \(.+\)\n$/);
      expect(stderr).toContain(file);
    }
  });

  it("follows links in folders once, names loops, broken links and missing inputs, and segments the rest", async () => {
    const { input: inputs, elsewhere } = linkedFolder(join(folder, "linked"));
    const missing = join(folder, "missing.png");
    const out = join(folder, "linked-out");
    const { code, stdout, stderr } = await chromoseg(
      ...["segment", missing, inputs, "--model", LITE_MODEL, "--out", out],
    );
    expect(code).toBe(1);
    expect(stdout).toContain("3 of 3 images segmented");
    expect(stderr).toBe(
      [
        "3 failed:",
        `  ${missing}: no such file or folder`,
        `  ${join(inputs, "broken.png")}: broken link (to ${join(elsewhere, "gone.png")})`,
        `  ${join(inputs, "loop")}: link loop back to ${inputs}, not followed`,
        "",
      ].join("\n"),
    );
    for (const name of ["plain.png", "linked.png", join("day 2", "pair.tif")])
      expect(existsSync(join(out, name, "report.json"))).toBe(true);

    const local = await chromoseg(
      ...["local", missing, join(inputs, "linked.png"), "--data", join(folder, "local-linked")],
      ...["--out", join(folder, "local-linked-out"), "--port", "0"],
    );
    expect(local.code).toBe(1);
    expect(local.stdout).toContain("1 of 1 images segmented");
    expect(local.stderr).toContain(`${missing}: no such file or folder`);
  });

  it("segments a multi-page TIFF's first page and says so in the report and the summary", async () => {
    const pages = [readFileSync(REPLICA_SAMPLE), readFileSync(REPLICA_SAMPLE)];
    const input = join(folder, "two-pages.tif");
    await sharp(pages, { join: { animated: true } })
      .tiff()
      .toFile(input);
    const out = join(folder, "two-pages-out");
    const { code, stdout } = await chromoseg("segment", input, "--model", LITE_MODEL, "--out", out);
    expect(code).toBe(0);
    expect(stdout).toContain(`${input}: 2 pages; the first was segmented`);
    const report = JSON.parse(readFileSync(join(out, "two-pages.tif", "report.json"), "utf8"));
    expect(report).toMatchObject({ pages: 2, width: 93, height: 94 });
  });

  it("evaluates slide mode against annotated crossings, counts and clumps", async () => {
    const out = join(folder, "annotated");
    const segmented = await chromoseg(
      "segment",
      DAPI_CROP,
      "--mode",
      "slide",
      "--model",
      LITE_MODEL,
      "--out",
      out,
    );
    expect(segmented.code).toBe(0);
    const results = join(out, "dapi-jpp21-m3-crop.tif");
    const report = JSON.parse(readFileSync(join(results, "report.json"), "utf8"));
    const coco = JSON.parse(readFileSync(join(results, "chromosomes.json"), "utf8"));
    // a clump annotated on the first chromosome, with one chromosome more than its object holds
    const first = coco.annotations[0];
    const inObject = coco.annotations.filter(
      (a: { object_id: number }) => a.object_id === first.object_id,
    );
    const [x, y] = first.bbox;
    const [height] = first.segmentation.size;
    const p = first.segmentation.counts[0]; // the first chromosome pixel, column-major
    const point = { x: Math.floor(p / height), y: p % height };
    expect(point.x).toBeGreaterThanOrEqual(x);
    expect(point.y).toBeGreaterThanOrEqual(y);
    const annotations = join(folder, "annotations.json");
    writeFileSync(
      annotations,
      JSON.stringify({
        format: "chromoseg-slide-annotations/1",
        slides: [
          {
            image: "dapi-jpp21-m3-crop.tif",
            chromosomeCount: report.chromosomeCount + 1,
            crossings: [{ x: 5, y: 5 }],
            clumps: [{ ...point, chromosomes: inObject.length + 1 }],
          },
        ],
      }),
    );
    const { code, stdout } = await chromoseg("evaluate-slides", out, "--annotations", annotations);
    expect(code).toBe(0);
    expect(stdout).toMatch(/dapi-jpp21-m3-crop\.tif +0 of 1 +0 +0 +0 +-1 +0 of 1 +1\n/);
    expect(stdout).toContain("crossings found: 0 of 1 (0.0 %)");
    expect(stdout).toContain("clumps counted right: 0 of 1, sum of |error| 1");
    expect(stdout).toContain(
      `clump at (${point.x}, ${point.y}) of ${inObject.length + 1} chromosomes counted ${inObject.length}`,
    );
  });

  it("inspect refuses negative, fractional and NaN labels under strict and counts them under clip", async () => {
    const file = join(folder, "odd-labels.h5");
    await ready;
    const f = new File(file, "w");
    const labels = [0, -1, 0.5, NaN, 4, 1, 2, 3];
    const data = Float64Array.from(labels.flatMap((label) => [80, label]));
    f.create_dataset({ name: "dataset_1", data, shape: [1, 2, 4, 2], dtype: "<d" });
    f.close();
    const strict = await chromoseg("inspect", file, "--labels", "strict");
    expect(strict.code).toBe(1);
    // the whole file is read (progress says so) before the refusal, which counts every pixel
    expect(strict.stderr.trim().split("\n").at(-1)).toBe(
      `chromoseg: ${file}: 4 label pixels are not 0–3 (1 above 3, 1 negative, 1 fractional, 1 NaN); use --labels clip or clean to set them to background`,
    );
    const clip = await chromoseg("inspect", file, "--labels", "clip");
    expect(clip.code).toBe(0);
    expect(clip.stdout).toContain(
      "label policy changed: 4 label pixels not 0–3 (1 above 3, 1 negative, 1 fractional, 1 NaN) set to background, 0 isolated specks re-assigned",
    );
  });

  it("prints the stack trace only under --verbose", async () => {
    const missing = join(folder, "missing.tif");
    const quiet = await chromoseg("chromosomes", missing, "--out", folder);
    const verbose = await chromoseg("--verbose", "chromosomes", missing, "--out", folder);
    expect([quiet.code, verbose.code]).toEqual([1, 1]);
    expect(quiet.stderr).not.toMatch(/\n\s+at /);
    expect(verbose.stderr).toMatch(/\n\s+at /);
  });

  it("rejects a bad option value with its reason", async () => {
    const { code, stderr } = await chromoseg(
      "generate",
      "-m",
      DAPI_CROP,
      "--count",
      "-3",
      "--out",
      join(folder, "x.h5"),
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(/--count.*whole number from 1/);
  });

  it("explains the kaggle preset and its options, and refuses them where they do not apply", async () => {
    const help = await chromoseg("generate", "--help");
    expect(help.stdout).toMatch(/kaggle: the published recipe/);
    expect(help.stdout).toMatch(/--cy3 <files\.\.\.>/);
    expect(help.stdout).toMatch(/--cleaned .*Cleaned/s);
    const out = join(folder, "kaggle.h5");
    const kaggle = (...options: string[]) =>
      chromoseg("generate", "--preset", "kaggle", "-m", DAPI_CROP, ...options, "--out", out);
    const noCy3 = await kaggle();
    expect([noCy3.code, noCy3.stderr.trim()]).toEqual([
      1,
      "chromoseg: the kaggle preset needs the metaphase's one Cy3 image: --cy3 Cy3.tif (--preset all works from DAPI alone)",
    ]);
    const fixed = await kaggle("--cy3", DAPI_CROP, "--count", "10");
    expect(fixed.stderr).toMatch(/follows the published recipe, which fixes --count/);
    const notKaggle = await chromoseg(
      "generate",
      ...["-m", DAPI_CROP, "--preset", "all", "--cleaned", "--out", out],
    );
    expect([notKaggle.code, notKaggle.stderr]).toEqual([
      1,
      expect.stringMatching(/--cleaned is the kaggle preset's/),
    ]);
    const small = await kaggle("--cy3", DAPI_CROP);
    expect(small.stderr).toMatch(
      /crops rows 50–899 and columns 300–1149, but the images are 380 × 330/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it("generates a dataset, then inspects it as JSON and writes its contact sheet", async () => {
    const file = join(folder, "small.h5");
    const made = await chromoseg(
      "generate",
      "-m",
      DAPI_CROP,
      "--preset",
      "all",
      "--count",
      "100",
      "--angles",
      "4",
      "--offsets",
      "6",
      "--out",
      file,
    );
    expect(made.code).toBe(0);
    expect(made.stdout).toMatch(/9 chromosomes, 36 pairs, .* 100 samples made/);

    const sheet = join(folder, "small.png");
    const inspected = await chromoseg("inspect", file, "--json", "--sheet", sheet);
    expect(inspected.code).toBe(0);
    const stats = JSON.parse(inspected.stdout) as {
      shape: number[];
      dtype: string;
      samplesWithOverlap: number;
    };
    expect(stats).toMatchObject({ shape: [100, 94, 93, 2], dtype: "int64", samplesWithOverlap: 1 });
    expect((await sharp(sheet).metadata()).format).toBe("png");
  });

  it("refuses seeds that the 32-bit generator would not tell apart from smaller ones", async () => {
    for (const command of ["train", "evaluate", "generate"]) {
      const { code, stderr } = await chromoseg(command, "--seed", "4294967297");
      expect(code).toBe(1);
      expect(stderr).toContain(
        "'4294967297' is invalid. expected a whole number from 0 to 4294967295",
      );
    }
  });

  it("benchmarks `generate` end to end in a process of its own, with its peak memory", async () => {
    const bench = async (count: number) => {
      const { code, stdout } = await chromoseg(
        ...["bench", "generate", "--presets", "all", "--metaphases", DAPI_CROP, DAPI_CROP],
        ...["--count", String(count), "--json"],
      );
      expect(code).toBe(0);
      const { runs } = JSON.parse(stdout) as { runs: BenchGenerateRun[] };
      expect(runs).toHaveLength(1);
      return runs[0];
    };
    const [few, many] = [await bench(30), await bench(800)];
    expect(few).toMatchObject({ preset: "all", images: [DAPI_CROP, DAPI_CROP], samples: 30 });
    expect(few.attributes).toMatchObject({ chromosomes: 18, pairs: 153 });
    expect(few.output).toMatch(
      /^18 chromosomes, 153 pairs, \d+ placements tried, 30 samples made$/m,
    );
    expect(many.samples).toBe(800);
    // the generating process's own peak: it holds its samples, so 770 more of 94 × 93 × 2 take at
    // least a byte a value more
    expect(many.peakRssBytes - few.peakRssBytes).toBeGreaterThan(770 * 94 * 93 * 2);
  });

  it("benchmarks `generate` from a folder without the shared data: kaggle skipped, all from the sample", async () => {
    const elsewhere = join(folder, "fresh-clone-bench-generate");
    mkdirSync(elsewhere);
    const { code, stdout, stderr } = await chromosegIn(
      elsewhere,
      ...["bench", "generate", "--count", "20", "--json"],
    );
    expect(stderr).toMatch(/^kaggle: skipped: .*Cy3\.tif not found/m);
    expect(stderr).toMatch(/^all: .* made from --metaphase .*DAPI\.tif alone/m);
    expect(code).toBe(0);
    const { runs } = JSON.parse(stdout) as { runs: BenchGenerateRun[] };
    expect(runs.map((run) => [run.preset, run.images.length, run.samples])).toEqual([
      ["all", 1, 20],
    ]);
  });

  it("trains a tiny model, evaluates it, exports it to ONNX, evaluates and benchmarks the export", async () => {
    const data = join(folder, "small.h5");
    const model = join(folder, "tiny");
    const trained = await chromoseg(
      "train",
      ...["--data", data, "--out", model, "--filters", "4,8", "--convs", "1,1"],
      ...["--dropout", "0,0", "--epochs", "1", "--batch-size", "8", "--threads", "1"],
      ...["--augment", "--overlap-gain", "0.6"],
    );
    expect(trained.code).toBe(0);
    expect(trained.stdout).toMatch(/^backend: wasm/m);
    expect(trained.stdout).toMatch(/epoch 1: loss \d/);
    expect(existsSync(join(model, "training-curve.png"))).toBe(true);

    // from the test's folder, whose out/evaluate/tiny/ is evaluate's default --out for the model
    const evaluated = await chromosegIn(
      folder,
      "evaluate",
      ...["--model", model, "--data", data, "--split", "kaggle", "--json"],
    );
    expect(evaluated.code).toBe(0);
    const result = JSON.parse(evaluated.stdout) as {
      iou: Record<string, number>;
      meanIoU: number;
      pixelAccuracy: number;
      dice: Record<string, number>;
    };
    const classes = ["background", "chromosomeA", "chromosomeB", "overlap"];
    expect(Object.keys(result.iou)).toEqual(classes);
    expect(Object.keys(result.dice)).toEqual(classes);
    for (const fraction of [result.meanIoU, result.pixelAccuracy, ...Object.values(result.iou)]) {
      expect(fraction).toBeGreaterThanOrEqual(0);
      expect(fraction).toBeLessThanOrEqual(1);
    }
    for (const sheet of ["worst-kaggle.png", "samples-kaggle.png"]) {
      expect(existsSync(join(folder, "out", "evaluate", "tiny", sheet))).toBe(true);
    }

    const onnxFile = join(model, "model.onnx");
    const exported = await chromoseg("export", "--model", model);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toMatch(
      /max \|Δ probability\| \S+ on real crops \(limit 0\.0001\), \S+ on random crops \(limit 0\.001\)/,
    );
    const metadata = (await OnnxModel.load(onnxFile, { threads: 1 })).metadata;
    const report = JSON.parse(readFileSync(join(model, "training-report.json"), "utf8"));
    expect(metadata.training?.data.sha256).toBe(report.data.sha256);
    expect(metadata.network).toMatchObject({ preset: report.config.preset, switchTolerance: 0.5 });
    expect(report.config).toMatchObject({ augment: true, overlapGain: 0.6 });

    // the export evaluates as the tfjs model did, with and without test-time augmentation
    for (const tta of [[], ["--tta"]]) {
      const run = await chromoseg(
        "evaluate",
        ...["--model", onnxFile, "--data", data, "--split", "kaggle", "--json", ...tta],
      );
      expect(run.code).toBe(0);
      const onnxResult = JSON.parse(run.stdout) as { meanIoU: number; tta: boolean };
      expect(onnxResult.tta).toBe(tta.length > 0);
      if (!tta.length) expect(onnxResult.meanIoU).toBeCloseTo(result.meanIoU, 3);
    }
    const dimmed = await chromosegIn(
      folder,
      "evaluate",
      ...["--model", onnxFile, "--data", data, "--overlap-gain", "0.7", "--json"],
    );
    expect(dimmed.code).toBe(0);
    expect(JSON.parse(dimmed.stdout)).toMatchObject({ overlapGain: 0.7 });
    expect(
      existsSync(join(folder, "out", "evaluate", "tiny", "evaluation-kaggle-onnx-gain0.7.json")),
    ).toBe(true);
    const refused = await chromoseg(
      "evaluate",
      "--model",
      onnxFile,
      "--data",
      data,
      "--overlap-gain",
      "1.5",
    );
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/--overlap-gain.*expected a number above 0 and at most 1/);

    const bench = await chromoseg(
      "bench",
      "infer",
      ...["--model", onnxFile, "--slide", DAPI_CROP, "--crops", "32", "--threads", "1", "--json"],
    );
    expect(bench.code).toBe(0);
    const speed = JSON.parse(bench.stdout) as Record<string, unknown>;
    expect(Object.keys(speed)).toEqual([
      "onnxruntime",
      "tfjsWasm",
      "ratio",
      "slideSeconds",
      "coldStartSeconds",
      "macsPerCrop",
    ]);
    expect(speed.macsPerCrop).toBeGreaterThan(0);
  }, 300_000); // about 10 processes, each loading tfjs or onnxruntime: minutes on a loaded machine

  it("evaluates a model of a package's models/ folder into out/evaluate/<name>/, not beside it", async () => {
    const models = join(folder, "package", "models");
    const work = join(folder, "work");
    mkdirSync(models, { recursive: true });
    mkdirSync(work);
    copyFileSync(LITE_MODEL, join(models, "default.onnx"));
    const evaluated = await chromosegIn(
      work,
      "evaluate",
      ...["--model", join(models, "default.onnx"), "--data", join(folder, "small.h5")],
    );
    expect(evaluated.code).toBe(0);
    const out = join("out", "evaluate", "default");
    expect(evaluated.stdout).toContain(`wrote ${join(out, "evaluation-kaggle-onnx.json")}`);
    expect(readdirSync(join(work, out)).sort()).toEqual([
      "evaluation-kaggle-onnx.json",
      "samples-kaggle-onnx.png",
      "worst-kaggle-onnx.png",
    ]);
    expect(readdirSync(models)).toEqual(["default.onnx"]);
  });

  it("stops training on SIGTERM (as a batch scheduler sends) after the current batch", async () => {
    const out = join(folder, "terminated");
    const child = spawn(process.execPath, [
      BIN,
      "train",
      ...["--data", join(folder, "small.h5"), "--out", out, "--filters", "4", "--convs", "1"],
      ...["--dropout", "0", "--batch-size", "1", "--threads", "1"],
    ]);
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      // Mid-way through the first epoch (about 80 one-sample batches). Once: a second signal
      // would end the process at once, as a second Ctrl-C does.
      if (/^model: /m.test(stdout) && !child.killed) setTimeout(() => child.kill("SIGTERM"), 500);
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(join(out, "training-report.json"), "utf8")) as {
      stopReason: string;
      stopMessage: string;
      history: unknown[];
    };
    expect(report.stopReason).toBe("interrupted");
    expect(report.stopMessage).toBe("interrupted in epoch 1");
    expect(report.history).toHaveLength(0);
  });

  it("benchmarks training steps on wasm and cpu and prints their ratio as JSON", async () => {
    const { code, stdout } = await chromoseg(
      "bench",
      "train",
      ...["--steps", "1", "--cpu-steps", "1", "--batch-size", "1", "--size", "16", "--json"],
    );
    expect(code).toBe(0);
    const figures = JSON.parse(stdout) as {
      backends: Record<"wasm" | "cpu", { imagesPerSecond: number }>;
      ratio: number;
    };
    const { wasm, cpu } = figures.backends;
    expect(wasm.imagesPerSecond).toBeGreaterThan(0);
    expect(cpu.imagesPerSecond).toBeGreaterThan(0);
    expect(figures.ratio).toBeCloseTo(wasm.imagesPerSecond / cpu.imagesPerSecond, 6);
  });

  it("times the stock and the fast convolution gradients on wasm", async () => {
    const { code, stdout } = await chromoseg(
      ...["bench", "kernels", "--batch-size", "1", "--repeats", "1"],
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/stock backprop-input\s+fast backprop-input/);
    expect(stdout).toMatch(/^96 × 96, 16 → 16 +[\d.]+ ms +[\d.]+ ms +[\d.]+ ms \(\d+ ×\)/m);
  });
});

describe("chromoseg local's messages", () => {
  it("gives one line on stderr per bad upload, naming it once, and no function logs", async () => {
    const inputs = join(folder, "local-bad");
    mkdirSync(inputs, { recursive: true });
    writeFileSync(join(inputs, "bad.png"), "not a png");
    copyFileSync(REPLICA_SAMPLE, join(inputs, "good.png"));
    const { code, stdout, stderr } = await chromoseg(
      "local",
      inputs,
      ...["--data", join(folder, "local-bad-s3"), "--out", join(folder, "local-bad-out")],
      ...["--port", "0"],
    );
    expect(code).toBe(1);
    expect(personLines(stderr)).toEqual([
      "uploads/bad.png: not a readable image (Input buffer contains unsupported image format)",
    ]);
    expect(stdout).toContain("1 of 2 images segmented, 1 failed");
  });

  it("says once that a broken models/latest.json leaves the baked-in model in charge", async () => {
    const data = join(folder, "local-pointer-s3");
    const bucket = await startLocalBucket({ directory: data, port: 0 });
    const s3 = bucket.client();
    await s3.send(
      new PutObjectCommand({ Bucket: bucket.bucket, Key: MODEL_POINTER_KEY, Body: "{ not json" }),
    );
    s3.destroy();
    await bucket.close();
    const inputs = join(folder, "local-pointer");
    mkdirSync(inputs, { recursive: true });
    copyFileSync(REPLICA_SAMPLE, join(inputs, "a.png"));
    copyFileSync(REPLICA_SAMPLE, join(inputs, "b.png"));
    const out = join(folder, "local-pointer-out");
    const { code, stderr } = await chromoseg(
      ...["local", inputs, "--data", data, "--out", out, "--port", "0"],
    );
    expect(code).toBe(0);
    expect(personLines(stderr)).toEqual([
      "models/latest.json is not JSON; using the baked-in model",
    ]);
    const report = JSON.parse(readFileSync(join(out, "a.png", "report.json"), "utf8")) as object;
    expect(report).toMatchObject({
      modelVersion: "fallback",
      modelPointerProblem: "models/latest.json is not JSON",
    });
  });
});

/** stderr's lines without the AWS SDK's notice that Node before 22 is past its support (Node 20 only). */
function personLines(stderr: string): string[] {
  return stderr
    .replace(
      /^\(node:\d+\) Warning: NodeVersionSupportWarning[\s\S]*?--trace-warnings[^\n]*\n/m,
      "",
    )
    .trim()
    .split("\n");
}
