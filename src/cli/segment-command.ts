import { readFile, readdir, stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { basename, join, relative } from "node:path";
import { Command, Option } from "commander";
import { UserError } from "../errors.js";
import { DEFAULT_MAX_PIXELS } from "../image/grey-image.js";
import { isImageName } from "../image/image-files.js";
import { OnnxModel } from "../infer/onnx-model.js";
import { CROP_MODE_MAX_SIDE, SEGMENT_MODES, segmentImage } from "../infer/segment-image.js";
import type { SegmentMode, SegmentReport } from "../infer/segment-image.js";
import { writeSegmentOutputs } from "../infer/write-outputs.js";
import { table } from "./format.js";
import { examples, integer, positive } from "./options.js";

interface SegmentFlags {
  model: string;
  out: string;
  mode: SegmentMode | "auto";
  tta?: boolean;
  threads: number;
  batchSize: number;
  maxMegapixels: number;
}

/** One image to segment and the folder its outputs go to. */
interface Job {
  file: string;
  out: string;
}

export function segmentCommand(): Command {
  return new Command("segment")
    .summary("segment images with an ONNX model")
    .description(
      "Segment images (PNG, TIFF or JPEG; 8 or 16 bit, 12-bit data in 16-bit files; grey, RGB or with alpha, " +
        "taken as luminance) into background, chromosome A (the smaller of a pair), chromosome B and overlap.\n\n" +
        `Modes: crop — the image is one sample at the training resolution (like the 94 × 93 dataset crops); ` +
        `slide — a whole metaphase: chromosome objects are found as the generator finds them, nuclei and debris ` +
        `skipped, each object decimated ÷ 2 (as the training data was made), segmented, and put back at full ` +
        `resolution. auto (the default) takes images up to ${CROP_MODE_MAX_SIDE} × ${CROP_MODE_MAX_SIDE} as crops.\n\n` +
        "For each input, <out>/<name>/ receives labels.png (8-bit, values 0–3), overlay.png (the input with the " +
        "classes tinted) and report.json (size, mode, pixels per class, objects in slide mode, model sha256, " +
        "timings), where <name> is the file's name, or its path inside a folder given as input. Folders are " +
        "searched recursively for .png .tif .tiff .jpg .jpeg (any case). Bad files are reported and skipped; the " +
        "exit code is 1 if any input failed.",
    )
    .argument("<inputs...>", "image files or folders")
    .requiredOption("-m, --model <file.onnx>", "a model written by chromoseg export")
    .option("-o, --out <dir>", "output folder", "out/segment")
    .addOption(
      new Option("--mode <mode>", "crop, slide, or auto by image size")
        .choices(SEGMENT_MODES)
        .default("auto"),
    )
    .option("--tta", "test-time augmentation: average the 8 flips and rotations (8× slower)")
    .option("--threads <n>", "onnxruntime threads", integer(1), availableParallelism())
    .option("-b, --batch-size <n>", "crops per inference run", integer(1), 32)
    .option("--max-megapixels <n>", "refuse larger images", positive(), DEFAULT_MAX_PIXELS / 1e6)
    .addHelpText(
      "after",
      examples(
        "chromoseg segment ../shared/data/metaphases/ --model runs/lite/model.onnx --out out/slides",
        "chromoseg segment pair.png --model runs/lite/model.onnx --mode crop --tta",
      ),
    )
    .action(async (inputs: string[], flags: SegmentFlags) => {
      const jobs = (await Promise.all(inputs.map((input) => listJobs(input, flags.out)))).flat();
      if (jobs.length === 0) throw new UserError(`no images found in ${inputs.join(", ")}`);
      refuseSharedOutputs(jobs);
      const model = await OnnxModel.load(flags.model, { threads: flags.threads });
      const reports: SegmentReport[] = [];
      const failures: string[] = [];
      try {
        for (const job of jobs) {
          try {
            reports.push(await segmentFile(model, job, flags));
          } catch (error) {
            // one bad file (or a fault while writing its outputs) must not stop the others
            const reason = (error as Error).message.split("\n")[0];
            failures.push(error instanceof UserError ? reason : `${job.file}: ${reason}`);
          }
        }
      } finally {
        await model.release();
      }
      if (reports.length) printSummary(reports);
      console.log(
        `\n${reports.length} of ${jobs.length} images segmented; outputs in ${flags.out}`,
      );
      if (failures.length) {
        console.error(`${failures.length} failed:`);
        for (const failure of failures) console.error(`  ${failure}`);
        process.exitCode = 1;
      }
    });
}

async function segmentFile(
  model: OnnxModel,
  job: Job,
  flags: SegmentFlags,
): Promise<SegmentReport> {
  let bytes: Buffer;
  try {
    bytes = await readFile(job.file);
  } catch (error) {
    throw new UserError(`${job.file}: cannot read (${(error as NodeJS.ErrnoException).code})`);
  }
  const outputs = await segmentImage(model, bytes, job.file, {
    mode: flags.mode,
    tta: flags.tta,
    batchSize: flags.batchSize,
    maxPixels: flags.maxMegapixels * 1e6,
  });
  await writeSegmentOutputs(job.out, outputs);
  return outputs.report;
}

/** A file is a job whatever its name; a folder gives its image files, recursively. */
async function listJobs(input: string, out: string): Promise<Job[]> {
  let isFolder: boolean;
  try {
    isFolder = (await stat(input)).isDirectory();
  } catch {
    throw new UserError(`${input}: no such file or folder`);
  }
  if (!isFolder) return [{ file: input, out: join(out, basename(input)) }];
  const entries = await readdir(input, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && isImageName(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort()
    .map((file) => ({ file, out: join(out, relative(input, file)) }));
}

/** Two inputs with one name (a/x.png and b/x.png given as files) would overwrite each other. */
function refuseSharedOutputs(jobs: Job[]): void {
  const seen = new Map<string, string>();
  for (const job of jobs) {
    const other = seen.get(job.out);
    if (other)
      throw new UserError(
        `${other} and ${job.file} would both write to ${job.out}; give their folder instead, or segment them separately`,
      );
    seen.set(job.out, job.file);
  }
}

function printSummary(reports: SegmentReport[]): void {
  console.log(
    table([
      ["image", "size", "mode", "objects", "overlapping", "overlap", "ms"],
      ...reports.map((r) => {
        const segmented = r.objects?.filter((o) => o.segmented) ?? [];
        const t = r.timings;
        return [
          r.image,
          `${r.width} × ${r.height}`,
          r.mode + (r.tta ? " + tta" : ""),
          r.objects ? `${segmented.length} of ${r.objects.length}` : "-",
          r.objects ? segmented.filter((o) => o.overlapping).length : "-",
          r.overlapFound ? "yes" : "no",
          (t.decode + (t.find ?? 0) + t.inference + t.encode).toFixed(0),
        ];
      }),
    ]),
  );
}
