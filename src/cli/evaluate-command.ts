import { availableParallelism } from "node:os";
import { basename, join, resolve } from "node:path";
import { Command, Option } from "commander";
import * as ort from "onnxruntime-node";
import { CLASS_NAMES } from "../classes.js";
import { loadDataset } from "../data/hdf5.js";
import { LABEL_POLICIES } from "../data/label-policy.js";
import type { LabelPolicy } from "../data/label-policy.js";
import { SPLIT_KINDS, splitDataset } from "../data/splits.js";
import type { SplitKind } from "../data/splits.js";
import { evaluateSamples, renderSamples, spreadPositions } from "../evaluate/evaluate.js";
import type { Evaluation, LabelPredictor } from "../evaluate/evaluate.js";
import { UserError } from "../errors.js";
import { pixelsPerSample } from "../data/samples.js";
import { scaleOverlapGrey } from "../train/augment.js";
import { writeFileAtomically } from "../files.js";
import { OnnxModel } from "../onnx/onnx-model.js";
import { chromosomeNaming } from "../onnx/metadata.js";
import type { ChromosomeNaming } from "../data/name-by-area.js";
import { chromosomeNamingOf } from "../train/train-config.js";
import { REPORT_FILE, readTrainingReport } from "../train/training-report.js";
import { onnxPredictor } from "../evaluate/onnx-predictor.js";
import { BACKEND_CHOICES, selectBackend } from "../model/backend.js";
import type { BackendChoice } from "../model/backend.js";
import { modelDivisor } from "../model/segnet.js";
import { predictSamples } from "../train/predict.js";
import { loadModel, modelFolder } from "../model/storage.js";
import { percent, table } from "../format.js";
import { examples, fraction, integer, seed } from "./options.js";
import { createProgress } from "./progress.js";

interface EvaluateFlags {
  model: string;
  data: string;
  key?: string;
  labels: LabelPolicy;
  split: SplitKind;
  seed: number;
  out?: string;
  json?: boolean;
  batchSize: number;
  backend: BackendChoice;
  tta?: boolean;
  overlapGain?: number;
}

export function evaluateCommand(): Command {
  return new Command("evaluate")
    .summary("measure a model on the test samples of a split")
    .description(
      "Run a model on the test samples of a split and measure it: IoU per class pooled over every pixel of the " +
        "split (the figure of Hu et al.), their mean, mean per-image IoU, Dice per class, pixel accuracy and the " +
        "4 × 4 confusion matrix (rows: truth, columns: prediction).\n\n" +
        "A model trained with --permutation-invariant leaves the naming of the two chromosomes to an area step " +
        "(A the smaller); the figures use the model's own naming, and a table gives the IoU of A, B and the " +
        "overlap under each: the network's channels as they came, renamed by area, and an oracle that takes " +
        "for every image the better of the prediction and its A↔B swap. What the oracle gains is naming error " +
        "(whole chromosomes swapped); what it leaves is separation error. With --tta the views are named " +
        "before they are averaged, so the first two rows agree for such a model.\n\n" +
        "Writes to --out (default: out/evaluate/<model's name>/ in the working folder, never beside the " +
        "model): evaluation-<split>.json; worst-<split>.png, the 16 worst samples as input, truth, " +
        "prediction and wrong pixels (red); samples-<split>.png, 16 test samples spread evenly over the split " +
        "(typical predictions). ONNX models add -onnx to the names, --tta adds -tta, --overlap-gain 0.7 adds -gain0.7.",
    )
    .requiredOption(
      "-m, --model <path>",
      "a trained model: the folder of chromoseg train, its model.json, or an ONNX file of chromoseg export",
    )
    .requiredOption("-d, --data <file.h5>", "dataset (Kaggle layout)")
    .option("-k, --key <name>", "dataset key")
    .addOption(
      new Option("--labels <policy>", "labels not a whole number 0–3 (see inspect --help)")
        .choices(LABEL_POLICIES)
        .default("clean"),
    )
    .addOption(
      new Option("--split <kind>", "whose test samples to use; all = every sample")
        .choices(SPLIT_KINDS)
        .default("kaggle"),
    )
    .option("-s, --seed <n>", "the grouped split's seed (as in training)", seed, 1)
    .option(
      "-o, --out <dir>",
      "where the JSON and PNG go (default: out/evaluate/<name>/, the name the model's file name " +
        "without .onnx or .json, or its folder's name for a folder, model.json or model.onnx)",
    )
    .option("--json", "print the evaluation as one JSON object (fractions 0–1)")
    .option("-b, --batch-size <n>", "samples per inference batch", integer(1), 32)
    .addOption(
      new Option("--backend <name>", "TensorFlow.js backend")
        .choices(BACKEND_CHOICES)
        .default("auto"),
    )
    .option("--tta", "test-time augmentation (ONNX models): average the 8 flips and rotations")
    .option(
      "--overlap-gain <f>",
      "scale the test samples' overlap grey by this factor first: generated overlaps are about 2× as " +
        "bright as one chromosome, real crossings about 1.4×, so 0.7 tests whether the model finds " +
        "overlaps by their shape or only by their brightness",
      fraction,
    )
    .addHelpText(
      "after",
      examples(
        "chromoseg evaluate --model runs/lite --data data/kaggle.h5 --split kaggle",
        "chromoseg evaluate --model runs/lite --data data/kaggle.h5 --split grouped --json",
        "chromoseg evaluate --model runs/lite/model.onnx --data data/kaggle.h5 --split kaggle --tta",
        "chromoseg evaluate --model runs/lite/model.onnx --data data/kaggle.h5 --split grouped --overlap-gain 0.7",
      ),
    )
    .action(async (flags: EvaluateFlags) => {
      const { predict, naming, summary, release } = await loadPredictor(flags);
      if (!flags.json) console.log(summary);
      const progress = flags.json ? undefined : createProgress();
      const dataset = await loadDataset(flags.data, {
        key: flags.key,
        labels: flags.labels,
        onProgress: (done, total) => progress?.update("read", done, total),
      });
      const samples = dataset.samples;
      const split = splitDataset(flags.split, samples.count, samples.pairIds, { seed: flags.seed });
      if (flags.overlapGain !== undefined) {
        const px = pixelsPerSample(samples);
        for (const s of split.test) {
          const range = [s * px, (s + 1) * px] as const;
          scaleOverlapGrey(
            samples.grey.subarray(...range),
            samples.labels.subarray(...range),
            flags.overlapGain,
          );
        }
      }
      const result = await evaluateSamples(samples, split.test, predict, {
        naming,
        onProgress: (done, total) => progress?.update("evaluate", done, total),
      });
      await release();
      progress?.stop();
      const out = flags.out ?? (await defaultOut(flags.model));
      const evaluation = {
        model: flags.model,
        data: flags.data,
        split: flags.split,
        tta: flags.tta ?? false,
        overlapGain: flags.overlapGain ?? 1,
        ...result.evaluation,
      };
      // an ONNX export evaluated beside its tfjs model keeps both results
      const onnx = flags.model.toLowerCase().endsWith(".onnx");
      const gain = flags.overlapGain === undefined ? "" : `-gain${flags.overlapGain}`;
      const name = `${flags.split}${onnx ? "-onnx" : ""}${flags.tta ? "-tta" : ""}${gain}`;
      const jsonFile = join(out, `evaluation-${name}.json`);
      const worstFile = join(out, `worst-${name}.png`);
      const samplesFile = join(out, `samples-${name}.png`);
      await writeFileAtomically(jsonFile, JSON.stringify(evaluation, null, 2));
      await writeFileAtomically(
        worstFile,
        await renderSamples(samples, split.test, result, result.worstPositions),
      );
      const spread = spreadPositions(split.test.length);
      await writeFileAtomically(
        samplesFile,
        await renderSamples(samples, split.test, result, spread),
      );
      if (flags.json) {
        console.log(JSON.stringify(evaluation));
        return;
      }
      printEvaluation(result.evaluation, `${flags.split} split: ${split.test.length} test samples`);
      console.log(`\nwrote ${jsonFile}, ${worstFile} and ${samplesFile}`);
    });
}

/** out/evaluate/<name> (see --out): the model's folder (maybe our models/) stays as is. */
async function defaultOut(model: string): Promise<string> {
  const folder = await modelFolder(model);
  const file = basename(model).replace(/\.(onnx|json)$/i, "");
  const name = folder === model || file === "model" ? basename(resolve(folder)) : file;
  return join("out", "evaluate", name);
}

interface Predictor {
  /** The network's labels as they came, except with --tta (see evaluate --help). */
  predict: LabelPredictor;
  naming: ChromosomeNaming;
  /** What runs the model, in one line. */
  summary: string;
  release: () => Promise<void>;
}

/** An ONNX file runs in onnxruntime; anything else is a tfjs model. */
async function loadPredictor(flags: EvaluateFlags): Promise<Predictor> {
  if (flags.model.toLowerCase().endsWith(".onnx")) {
    const model = await OnnxModel.load(flags.model);
    return {
      // test-time augmentation must name each view before averaging: it keeps the model's naming
      predict: onnxPredictor(model, {
        tta: flags.tta,
        batchSize: flags.batchSize,
        naming: flags.tta ? undefined : "network",
      }),
      naming: chromosomeNaming(model.metadata),
      summary: `onnxruntime-node ${ort.env.versions.common}, ${availableParallelism()} threads${flags.tta ? ", test-time augmentation" : ""}`,
      release: () => model.release(),
    };
  }
  if (flags.tta) throw new UserError("--tta needs an ONNX model (chromoseg export)");
  const backend = await selectBackend(flags.backend);
  const model = await loadModel(flags.model);
  const divisor = modelDivisor(model);
  const report = await readTrainingReport(join(await modelFolder(flags.model), REPORT_FILE));
  return {
    naming: report ? chromosomeNamingOf(report.config) : "network",
    predict: async (set, indices, onProgress) =>
      (
        await predictSamples(model, set, indices, {
          divisor,
          batchSize: flags.batchSize,
          onProgress,
        })
      ).labels,
    summary: backend.summary,
    release: async () => {
      model.dispose();
    },
  };
}

const NAMING_TEXT = {
  network: "network (as predicted)",
  area: "area (A the smaller)",
  oracle: "oracle (better per image)",
};

export function printEvaluation(e: Evaluation, title: string): void {
  console.log(title);
  console.log(
    table([
      ["class", "IoU", "Dice"],
      ...CLASS_NAMES.map((name) => [name, percent(e.iou[name], 2), percent(e.dice[name], 2)]),
    ]),
  );
  console.log(
    `\nchromosomes named by the ${e.naming === "area" ? "area step" : "network"}; IoU under each naming:`,
  );
  console.log(
    table([
      ["naming", "chromosome A", "chromosome B", "overlap"],
      ...(["network", "area", "oracle"] as const).map((naming) => [
        NAMING_TEXT[naming],
        ...(["chromosomeA", "chromosomeB", "overlap"] as const).map((c) =>
          percent(e.namings[naming][c], 2),
        ),
      ]),
    ]),
  );
  console.log(
    `mean IoU ${percent(e.meanIoU, 2)}, mean per-image IoU ${percent(e.meanPerImageIoU, 2)}, pixel accuracy ${percent(e.pixelAccuracy, 2)}`,
  );
  console.log("\nconfusion (rows: truth, columns: prediction; pixels)");
  console.log(
    table([["", ...CLASS_NAMES], ...CLASS_NAMES.map((name, t) => [name, ...e.confusion[t]])]),
  );
}
