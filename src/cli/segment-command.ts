import { readFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { Command, Option } from "commander";
import { DEFAULT_MODEL, DEFAULT_MODEL_NAME } from "../default-model.js";
import { UserError } from "../errors.js";
import { SAMPLE_FRAME } from "../data/samples.js";
import { DEFAULT_MAX_PIXELS } from "../image/grey-image.js";
import { IMAGE_SUFFIXES } from "../image/image-files.js";
import { findImages } from "../image/find-images.js";
import { OnnxModel } from "../onnx/onnx-model.js";
import { CROP_MODE_MAX_SIDE, SEGMENT_MODES, segmentImage } from "../infer/segment-image.js";
import type { SegmentMode, SegmentReport } from "../infer/segment-image.js";
import { ERROR_FILE, writeSegmentError, writeSegmentOutputs } from "../infer/write-outputs.js";
import { printSegmentSummary } from "./segment-summary.js";
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
        `Modes: crop — the image is one sample at the training resolution (like the ${SAMPLE_FRAME.height} × ${SAMPLE_FRAME.width} dataset crops); ` +
        `slide — a whole metaphase: chromosome objects are found as the generator finds them, nuclei and debris ` +
        `skipped, each object decimated ÷ 2 (as the training data was made), segmented, and put back at full ` +
        `resolution. auto (the default) takes images up to ${CROP_MODE_MAX_SIDE} × ${CROP_MODE_MAX_SIDE} as crops.\n\n` +
        "For each input, <out>/<name>/ receives labels.png (8-bit, values 0–3; in slide mode a lone chromosome " +
        "is 1), overlay.png (crop mode: the input with the classes tinted; slide mode: each chromosome in a colour " +
        "of its own, overlaps outlined in white), report.json (size, mode, pixels per class, model sha256, " +
        "timings; in slide mode every object with its chromosomes, who counted them (shape: an unbranched rod " +
        "the finder accepted is one chromosome; model: the rest) and whether a crossing was resolved, " +
        "chromosomeCount and the unresolved objects with the reason) and, in slide mode, chromosomes.json " +
        "(every chromosome with its whole mask through any crossing, in COCO instance format), where <name> is the file's name, or its path inside a folder given as input. Folders are " +
        `searched recursively for ${IMAGE_SUFFIXES.join(" ")} (any case), following symbolic links; a link ` +
        "looping back, a broken link and a missing input are reported as failed. A JPEG is turned upright " +
        "by its EXIF orientation; of a multi-page TIFF the first page is segmented (report.json's pages " +
        "gives the count). Bad files are reported and skipped, " +
        "each with <out>/<name>/error.json (image and reason) instead of outputs; the exit code is 1 if any " +
        "input failed. Segmenting a file again replaces everything an earlier run left in its folder, so a " +
        "folder holds either outputs or error.json, never both.",
    )
    .argument("<inputs...>", "image files or folders")
    .addOption(
      new Option("-m, --model <file.onnx>", "a model written by chromoseg export").default(
        DEFAULT_MODEL,
        DEFAULT_MODEL_NAME,
      ),
    )
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
        "chromoseg segment ../shared/data/metaphases/ --out out/slides",
        "chromoseg segment pair.png --model runs/lite/model.onnx --mode crop --tta",
      ),
    )
    .action(async (inputs: string[], flags: SegmentFlags) => {
      const { images, skipped } = await findImages(inputs);
      const jobs = images.map(({ file, name }) => ({
        file,
        out: join(flags.out, name),
      }));
      const model = await OnnxModel.load(flags.model, { threads: flags.threads });
      const reports: SegmentReport[] = [];
      const failures = [...skipped];
      try {
        for (const job of jobs) {
          try {
            reports.push(await segmentFile(model, job, flags));
          } catch (error) {
            // one bad file (or a fault while writing its outputs) must not stop the others
            failures.push(await recordFailure(job, error));
          }
        }
      } finally {
        await model.release();
      }
      if (reports.length) printSegmentSummary(reports);
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

/**
 * Records why `job` failed in its folder (error.json, replacing any earlier outputs) and returns
 * the line to print.
 */
async function recordFailure(job: Job, error: unknown): Promise<string> {
  const message = (error as Error).message.split("\n")[0];
  const reason = error instanceof UserError ? message : `${job.file}: ${message}`;
  try {
    await writeSegmentError(job.out, { image: job.file, reason });
  } catch (writeError) {
    return `${reason} (and ${ERROR_FILE} could not be written: ${(writeError as Error).message})`;
  }
  return reason;
}
