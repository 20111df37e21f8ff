import { Command, Option } from "commander";
import { CLASS_NAMES } from "../classes.js";
import { LABEL_POLICIES } from "../data/label-policy.js";
import type { LabelPolicy } from "../data/label-policy.js";
import { SPLIT_KINDS } from "../data/splits.js";
import type { SplitKind } from "../data/splits.js";
import type { Evaluation } from "../evaluate/evaluate.js";
import { evaluateModel } from "../evaluate/evaluate-model.js";
import { BACKEND_CHOICES } from "../model/backend.js";
import type { BackendChoice } from "../model/backend.js";
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
      const progress = flags.json ? undefined : createProgress();
      const { evaluation, files } = await evaluateModel({
        ...flags,
        onModel: (summary) => flags.json || console.log(summary),
        onProgress: (stage, done, total) => progress?.update(stage, done, total),
      });
      progress?.stop();
      if (flags.json) {
        console.log(JSON.stringify(evaluation));
        return;
      }
      printEvaluation(evaluation, `${flags.split} split: ${evaluation.samples} test samples`);
      console.log(`\nwrote ${files.json}, ${files.worst} and ${files.samples}`);
    });
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
