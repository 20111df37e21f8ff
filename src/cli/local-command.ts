import { readFile, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { DeleteObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import type { S3Client } from "@aws-sdk/client-s3";
import { Command, Option } from "commander";
import sharp from "sharp";
import { writeFileAtomically } from "../files.js";
import { findImages } from "../image/find-images.js";
import type { ImageInput } from "../image/find-images.js";
import { decodeGreyImage } from "../image/grey-image.js";
import { OUTPUT_FILES, PICTURE_FILES } from "../infer/write-outputs.js";
import {
  DATASETS_PREFIX,
  RESULTS_PREFIX,
  UPLOADS_PREFIX,
  resultsFolderFor,
} from "../pipeline/bucket-layout.js";
import { getObjectOrNull } from "../pipeline/get-object.js";
import { LOCAL_CREDENTIALS, LOCAL_REGION } from "../pipeline/local-bucket.js";
import { LocalPipeline } from "../pipeline/local-pipeline.js";
import { MODEL_POINTER_KEY } from "../pipeline/model-pointer.js";
import { fallbackWarning } from "../pipeline/model-source.js";
import { ERROR_FILE } from "../infer/write-outputs.js";
import type { UploadOutcome, UploadReport } from "../pipeline/segment-upload.js";
import { runTrainingJob } from "../pipeline/training-job.js";
import { PRESET_NAMES } from "../model/config.js";
import type { PresetName } from "../model/config.js";
import { renderIndexPage } from "../pipeline/index-page.js";
import type { PageEntry } from "../pipeline/index-page.js";
import { stretchContrast } from "../render/contrast.js";
import { SAMPLE_METAPHASE } from "../sample-images.js";
import { SETTINGS } from "../settings.js";
import { DEFAULT_PRESETS, TRAIN_DEFAULTS } from "../train/train-config.js";
import { examples, integer } from "./options.js";
import { printSegmentSummary } from "./segment-summary.js";

interface LocalFlags {
  out: string;
  data: string;
  port: number;
  serve?: boolean;
}

const SAMPLES = dirname(SAMPLE_METAPHASE);

export function localCommand(): Command {
  const local = new Command("local")
    .summary("the AWS pipeline on this machine: local S3, the segment function, training")
    .description(
      "Runs the pipeline of the AWS stack on this machine: s3rver as the bucket (its objects kept in --data), " +
        "its upload events delivered through the same filter to the same segment function, and the same " +
        "training job (chromoseg local train). The AWS SDK is pointed at it through the standard configuration " +
        "(AWS_ENDPOINT_URL_S3 and S3RVER credentials), so nothing runs differently. Keys with . or .. segments " +
        "(uploads/../x.png) are refused (InvalidArgument), as a folder-backed bucket would write them outside --data.\n\n" +
        "On start, uploads an earlier run took but never finished (it was killed) are processed, and the count " +
        "said (recovered N uploads that had no result); a result counts when its report.json or error.json is " +
        "whole. Each refused or failed upload gives one line on stderr; the function's JSON logs and metrics " +
        `(for CloudWatch) are off unless POWERTOOLS_LOG_LEVEL says otherwise. A broken ${MODEL_POINTER_KEY} (not ` +
        "JSON, a field missing, its model not in the bucket) gives the bundled default, with one line saying why " +
        "(and modelVersion fallback, modelPointerProblem in each report.json).\n\n" +
        "Without --serve: uploads the inputs (default: the bundled samples/; folders searched as segment searches " +
        "them, symbolic links followed, loops, broken links and missing inputs reported) under uploads/, waits for their " +
        "results, copies them to --out (labels.png, overlay.png, report.json or error.json, and input.png, a " +
        "viewable copy of the input), prints a summary and writes --out/index.html, a page with each input " +
        `beside its overlay. The model is the bucket's (${MODEL_POINTER_KEY}), else the bundled default.`,
    )
    .argument("[inputs...]", "images or folders to upload (default: the bundled samples/)")
    .option("-o, --out <dir>", "where the results are copied", "out")
    .option("--data <dir>", "where the local bucket keeps its objects", SETTINGS.localBucketDir)
    .option("--port <n>", "the local S3's port", integer(0, 65535), SETTINGS.localS3Port)
    .option(
      "--serve",
      "keep the pipeline running for any S3 client until Ctrl-C, a line for each upload handled",
    )
    .addHelpText(
      "after",
      examples(
        "chromoseg local",
        "chromoseg local ../shared/data/metaphases/ --out out/metaphases",
        "chromoseg local --serve",
      ),
    )
    .action((inputs: string[], flags: LocalFlags) =>
      flags.serve ? serve(flags) : segmentLocally(inputs.length ? inputs : [SAMPLES], flags),
    );
  local
    .command("train")
    .description(
      "Runs the training job against the local bucket, as the Batch job definition runs it: uploads --dataset " +
        "to datasets/, trains with early stopping, evaluates on the test split, exports to ONNX with the parity " +
        `check, uploads models/<version>/ and moves ${MODEL_POINTER_KEY} if the quality gate lets it.`,
    )
    .requiredOption("-d, --dataset <file.h5>", "training data (Kaggle layout)")
    .addOption(
      new Option("-p, --preset <name>", "the network")
        .choices(PRESET_NAMES)
        .default(DEFAULT_PRESETS.cpu),
    )
    .option("-e, --epochs <n>", "maximum epochs", integer(1), TRAIN_DEFAULTS.maxEpochs)
    .option("--patience <n>", "early stopping's patience", integer(1), TRAIN_DEFAULTS.patience)
    .option("--force", "publish past the quality gate")
    .option("--data <dir>", "where the local bucket keeps its objects", SETTINGS.localBucketDir)
    .option("--port <n>", "the local S3's port", integer(0, 65535), SETTINGS.localS3Port)
    .addHelpText(
      "after",
      examples("chromoseg local train --dataset data/small.h5 --epochs 2 && chromoseg local"),
    )
    .action(trainLocally);
  return local;
}

async function serve(flags: LocalFlags): Promise<void> {
  const printProblem = problemPrinter();
  const pipeline = await startPipeline(flags, (outcome) => {
    if (outcome.status === "segmented")
      console.log(`${outcome.key}: segmented into ${outcome.results}`);
    printProblem(outcome);
  });
  const bucket = `s3://${pipeline.bucket}`;
  console.log(
    `local pipeline: S3 at ${pipeline.endpoint}, bucket ${pipeline.bucket} (objects in ${flags.data})`,
  );
  const { accessKeyId, secretAccessKey } = LOCAL_CREDENTIALS;
  console.log(
    `with any S3 client (credentials ${accessKeyId} / ${secretAccessKey}, region ${LOCAL_REGION}, path-style):`,
  );
  const credentials = `AWS_ACCESS_KEY_ID=${accessKeyId} AWS_SECRET_ACCESS_KEY=${secretAccessKey}`;
  console.log(
    `  ${credentials} aws s3 cp pair.png ${bucket}/${UPLOADS_PREFIX}pair.png --endpoint-url ${pipeline.endpoint}`,
  );
  console.log(
    `  ${credentials} aws s3 ls ${bucket}/${RESULTS_PREFIX} --recursive --endpoint-url ${pipeline.endpoint}`,
  );
  console.log("Ctrl-C stops.");
  await new Promise<void>((resolve) => process.once("SIGINT", resolve));
  await pipeline.stop();
}

async function segmentLocally(inputs: string[], flags: LocalFlags): Promise<void> {
  const { images, skipped } = await findImages(inputs);
  for (const line of skipped) console.error(line);
  if (skipped.length) process.exitCode = 1;
  const pipeline = await startPipeline(flags, problemPrinter());
  const s3 = pipeline.client();
  try {
    console.log(`local pipeline: S3 at ${pipeline.endpoint}; uploading ${images.length} images`);
    for (const image of images) {
      // an earlier run's report or error of the same name must not stand in for this one's
      const results = resultsFolderFor(UPLOADS_PREFIX + image.name);
      for (const name of [OUTPUT_FILES.report, ERROR_FILE])
        await s3.send(new DeleteObjectCommand({ Bucket: pipeline.bucket, Key: results + name }));
      await s3.send(
        new PutObjectCommand({
          Bucket: pipeline.bucket,
          Key: UPLOADS_PREFIX + image.name,
          Body: await readFile(image.file),
        }),
      );
    }
    await pipeline.idle();
    const entries = await Promise.all(
      images.map((image) => collect(s3, pipeline.bucket, image, flags.out)),
    );
    await writeFileAtomically(
      join(flags.out, "index.html"),
      renderIndexPage(entries, "chromoseg: local pipeline results"),
    );
    const reports = entries.flatMap((e) => ("error" in e.result ? [] : [e.result]));
    if (reports.length) printSegmentSummary(reports);
    // each failure had its line as it happened
    const failed = images.length - reports.length;
    console.log(
      `\n${reports.length} of ${images.length} images segmented${failed ? `, ${failed} failed` : ""}; results in ${flags.out}, page ${join(flags.out, "index.html")}`,
    );
    if (failed) process.exitCode = 1;
  } finally {
    s3.destroy();
    await pipeline.stop();
  }
}

/** Copies an upload's results from the bucket to `out`/<name>/, with a viewable input.png. */
async function collect(
  s3: S3Client,
  bucket: string,
  image: ImageInput,
  out: string,
): Promise<PageEntry> {
  const folder = join(out, image.name);
  const results = resultsFolderFor(UPLOADS_PREFIX + image.name);
  const read = async (name: string): Promise<Uint8Array | null> => {
    const object = await getObjectOrNull(s3, { Bucket: bucket, Key: results + name });
    return object && (await object.Body!.transformToByteArray());
  };
  await rm(folder, { recursive: true, force: true });
  const entry = {
    name: image.name,
    input: `${image.name}/input.png`,
    overlay: `${image.name}/${OUTPUT_FILES.overlay}`,
    report: `${image.name}/${OUTPUT_FILES.report}`,
  };
  const report = await read(OUTPUT_FILES.report);
  if (!report) {
    const error = await read(ERROR_FILE);
    if (error) await writeFileAtomically(join(folder, ERROR_FILE), error);
    const reason = error
      ? (JSON.parse(Buffer.from(error).toString()) as { reason: string }).reason
      : "no result";
    return { ...entry, report: `${image.name}/${ERROR_FILE}`, result: { error: reason } };
  }
  const copied: string[] = [];
  for (const name of PICTURE_FILES) {
    const bytes = await read(name);
    if (bytes) await writeFileAtomically(join(folder, name), bytes);
    if (bytes) copied.push(name);
  }
  await writeFileAtomically(join(folder, OUTPUT_FILES.report), report);
  const { image: grey } = await decodeGreyImage(await readFile(image.file), image.file);
  await writeFileAtomically(
    join(folder, "input.png"),
    await sharp(stretchContrast(grey.data), {
      raw: { width: grey.width, height: grey.height, channels: 1 },
    })
      .toColourspace("b-w")
      .png()
      .toBuffer(),
  );
  return {
    ...entry,
    ...(copied.includes(OUTPUT_FILES.chromosomes) && {
      chromosomes: `${image.name}/${OUTPUT_FILES.chromosomes}`,
    }),
    result: JSON.parse(Buffer.from(report).toString()) as UploadReport,
  };
}

/**
 * The pipeline on `flags.data`, each upload's outcome told to `onOutcome`. The function's JSON logs
 * and metrics are for CloudWatch: here they are off, and the person reads one line per upload.
 */
function startPipeline(
  flags: { data: string; port: number },
  onOutcome: (outcome: UploadOutcome) => void,
): Promise<LocalPipeline> {
  for (const [name, value] of Object.entries(SETTINGS.localFunctionEnvironment))
    process.env[name] ??= value;
  return LocalPipeline.start({ directory: flags.data, port: flags.port, onOutcome });
}

/**
 * Prints on stderr one line for each upload that got no outputs, naming it once, and one when a
 * broken model pointer makes the function use the baked-in model (once per problem: the function's
 * own warning goes to its silenced log).
 */
function problemPrinter(): (outcome: UploadOutcome) => void {
  let pointerProblem: string | undefined;
  return (outcome) => {
    if (outcome.status === "segmented") {
      const { modelPointerProblem } = outcome.report;
      if (modelPointerProblem && modelPointerProblem !== pointerProblem)
        console.error(fallbackWarning(modelPointerProblem));
      pointerProblem = modelPointerProblem;
      return;
    }
    const { key, reason } = outcome;
    // most reasons begin with the key already
    console.error(reason.startsWith(`${key}: `) ? reason : `${key}: ${reason}`);
  };
}

interface LocalTrainFlags {
  dataset: string;
  preset: PresetName;
  epochs: number;
  patience: number;
  force?: boolean;
  data: string;
  port: number;
}

async function trainLocally(flags: LocalTrainFlags): Promise<void> {
  const pipeline = await startPipeline(flags, problemPrinter());
  const s3 = pipeline.client();
  try {
    const datasetKey = DATASETS_PREFIX + basename(flags.dataset);
    await s3.send(
      new PutObjectCommand({
        Bucket: pipeline.bucket,
        Key: datasetKey,
        Body: await readFile(flags.dataset),
      }),
    );
    console.log(`uploaded ${flags.dataset} to s3://${pipeline.bucket}/${datasetKey}`);
    const result = await runTrainingJob({
      s3,
      settings: {
        bucket: pipeline.bucket,
        datasetKey,
        preset: flags.preset,
        epochs: flags.epochs,
        patience: flags.patience,
      },
      workDir: join(dirname(flags.data), "training"),
      force: flags.force,
    });
    console.log(
      `version ${result.version}: test mean IoU ${(100 * result.testMeanIoU).toFixed(2)} %, ${result.promoted ? "published" : "not published"} (${result.reason})`,
    );
  } finally {
    s3.destroy();
    await pipeline.stop();
  }
}
