import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { Command, Option } from "commander";
import { CLASS_NAMES } from "../classes.js";
import { loadDataset } from "../data/hdf5.js";
import { LABEL_POLICIES, describeCleaning } from "../data/label-policy.js";
import type { LabelPolicy } from "../data/label-policy.js";
import { SPLIT_KINDS } from "../data/splits.js";
import { UserError } from "../errors.js";
import { sha256File } from "../hash.js";
import { BACKEND_CHOICES, selectBackend } from "../model/backend.js";
import type { BackendChoice } from "../model/backend.js";
import { PRESET_NAMES, SEGNET_PRESETS, UPSAMPLINGS } from "../model/config.js";
import type { PresetName, SegNetConfig } from "../model/config.js";
import { LOSS_KINDS } from "../train/loss.js";
import { train } from "../train/train.js";
import {
  DEFAULT_PRESETS,
  LEARNING_RATE_SCHEDULES,
  PLATEAU_FACTOR,
  TRAIN_DEFAULTS,
} from "../train/train-config.js";
import type { TrainConfig } from "../train/train-config.js";
import { CURVE_FILE, REPORT_FILE } from "../train/training-report.js";
import type { EpochRecord } from "../train/training-report.js";
import { percent } from "../format.js";
import { examples, fraction, integer, numberList, positive, seed } from "./options.js";
import { createProgress } from "./progress.js";

/**
 * The options: TrainConfig's fields under their own names but two (`--epochs`, `--validation`), the
 * network's fields that override the preset, and those of the command line alone.
 */
type TrainFlags = Omit<TrainConfig, "preset" | "model" | "maxEpochs" | "validationFraction"> &
  Partial<Pick<TrainConfig, "preset">> &
  Partial<Pick<SegNetConfig, "filters" | "convs" | "dropout" | "upsampling">> & {
    epochs: TrainConfig["maxEpochs"];
    validation: TrainConfig["validationFraction"];
    data: string;
    key?: string;
    labels: LabelPolicy;
    out: string;
    backend: BackendChoice;
    threads?: number;
    resume?: boolean;
  };

export function trainCommand(): Command {
  return new Command("train")
    .summary("train SegNet on an HDF5 dataset, with early stopping")
    .description(
      "Train SegNet on a dataset in the Kaggle layout with Adam, stopping early when the validation loss stops " +
        "improving, and keep the best epoch's weights. Samples are padded (never resized) to a multiple of " +
        "2^depth; augmentation (flips and 90° rotations) keeps label 1 on the smaller chromosome. By default " +
        "the loss is cross-entropy + Dice, permutation-invariant (A and B named by area afterwards), with " +
        "augmentation: the recipe that won at the same budget (docs/accuracy.md).\n\n" +
        `Writes to --out: model.json + weights.bin (the best model, saved each time it improves), ${REPORT_FILE} ` +
        `(configuration, data hash, split, backend, per-epoch history, best epoch, why it stopped), ${CURVE_FILE} ` +
        "and checkpoint/ (the last epoch with the optimizer's state, for --resume). Ctrl-C or SIGTERM stops after the " +
        "current batch; the best model so far stays saved.",
    )
    .requiredOption("-d, --data <file.h5>", "training data (Kaggle layout)")
    .option("-k, --key <name>", "dataset key (default: dataset_1, else the Cleaned file's key)")
    .addOption(
      new Option("--labels <policy>", "labels not a whole number 0–3 (see inspect --help)")
        .choices(LABEL_POLICIES)
        .default("clean"),
    )
    .requiredOption("-o, --out <dir>", "output folder")
    .addOption(
      new Option(
        "-p, --preset <name>",
        "seed: 64/128/256 filters (the reference network); lite: 16/32/64 (default without a GPU)",
      ).choices(PRESET_NAMES),
    )
    .option(
      "--filters <list>",
      "filters per encoder block, e.g. 16,32,64 (overrides the preset)",
      numberList,
    )
    .option("--convs <list>", "3×3 convolutions per block, e.g. 2,3,3", numberList)
    .option("--dropout <list>", "dropout rate after each block, e.g. 0.25,0.5,0.5", numberList)
    .addOption(
      new Option(
        "--upsampling <mode>",
        "decoder upsampling: nearest (repeat) or indices (SegNet unpooling)",
      ).choices(UPSAMPLINGS),
    )
    .option(
      "-e, --epochs <n>",
      "maximum epochs (early stopping usually ends sooner)",
      integer(1),
      TRAIN_DEFAULTS.maxEpochs,
    )
    .option(
      "--patience <n>",
      "epochs without improvement before stopping",
      integer(1),
      TRAIN_DEFAULTS.patience,
    )
    .option(
      "--min-delta <x>",
      "smallest decrease of the validation loss that counts as improvement",
      positive(true),
      TRAIN_DEFAULTS.minDelta,
    )
    .option(
      "-b, --batch-size <n>",
      "samples per training step",
      integer(1),
      TRAIN_DEFAULTS.batchSize,
    )
    .option(
      "--learning-rate <x>",
      "Adam's (initial) learning rate",
      positive(),
      TRAIN_DEFAULTS.learningRate,
    )
    .addOption(
      new Option(
        "--schedule <kind>",
        `constant, or plateau: multiply the learning rate by ${PLATEAU_FACTOR} after each epoch without improvement`,
      )
        .choices(LEARNING_RATE_SCHEDULES)
        .default(TRAIN_DEFAULTS.schedule),
    )
    .addOption(
      new Option(
        "--loss <kind>",
        "crossentropy, weighted (per-class weights) or dice (cross-entropy + Dice)",
      )
        .choices(LOSS_KINDS)
        .default(TRAIN_DEFAULTS.loss),
    )
    .option(
      "--class-weights <list>",
      "weights of background,A,B,overlap for --loss weighted (default: 1/sqrt(frequency))",
      numberList,
    )
    .option(
      "--permutation-invariant",
      "a loss that ignores which chromosome is called A (the lower of the loss against the labels and " +
        "against them with A and B swapped); predictions then name the smaller chromosome A",
      TRAIN_DEFAULTS.permutationInvariant,
    )
    .option("--no-permutation-invariant", "train against the labels as given (A the smaller)")
    .option("--augment", "random flips and 90° rotations", TRAIN_DEFAULTS.augment)
    .option("--no-augment", "no flips and rotations")
    .option(
      "--jitter <x>",
      "random grey scaling by up to ± this fraction (0 = off)",
      positive(true),
      TRAIN_DEFAULTS.jitter,
    )
    .option(
      "--overlap-gain <min>",
      "scale each sample's overlap grey by a random factor between this and 1 (1 = off): " +
        "generated overlaps are about 2× as bright as one chromosome, real crossings about 1.4×, " +
        "so 0.6 teaches the model shapes instead of brightness",
      fraction,
      TRAIN_DEFAULTS.overlapGain,
    )
    .addOption(
      new Option("--split <kind>", "which samples are held out for test (never trained on)")
        .choices(SPLIT_KINDS)
        .default(TRAIN_DEFAULTS.split),
    )
    .option(
      "--validation <fraction>",
      "fraction of the non-test samples used for validation",
      fraction,
      TRAIN_DEFAULTS.validationFraction,
    )
    .option(
      "-s, --seed <n>",
      "initial weights, shuffling, augmentation and grouped split",
      seed,
      TRAIN_DEFAULTS.seed,
    )
    .addOption(
      new Option("--backend <name>", "auto tries tfjs-node-gpu, tfjs-node, wasm, cpu")
        .choices(BACKEND_CHOICES)
        .default("auto"),
    )
    .option("--threads <n>", "wasm threads (default: the cores)", integer(1))
    .option("--resume", "continue the run in --out from its checkpoint")
    .addHelpText(
      "after",
      examples(
        "chromoseg train --data data/kaggle.h5 --preset lite --out runs/lite",
        "chromoseg train --data data/kaggle.h5 --preset lite --upsampling nearest --augment --out runs/lite-nearest",
        "chromoseg train --data data/kaggle.h5 --out runs/lite --resume",
        "chromoseg train --data LowRes_13434_overlapping_pairs.h5 --split kaggle --preset seed --backend tensorflow --out runs/paper",
      ),
    )
    .action(runTrain);
}

async function runTrain(flags: TrainFlags): Promise<void> {
  const backend = await selectBackend(flags.backend, flags.threads);
  console.log(backend.summary);
  const config = trainConfig(
    flags,
    DEFAULT_PRESETS[backend.package.endsWith("gpu") ? "gpu" : "cpu"],
  );
  const { preset, model } = config;
  const progress = createProgress();
  const [dataset, dataSha256] = await Promise.all([
    loadDataset(flags.data, {
      key: flags.key,
      labels: flags.labels,
      onProgress: (done, total) => progress.update("read", done, total),
    }),
    sha256File(flags.data),
  ]);
  progress.stop();
  const { cleaning } = dataset;
  console.log(
    `${flags.data}: ${dataset.samples.count} samples of ${dataset.samples.height} × ${dataset.samples.width}; labels changed: ${describeCleaning(cleaning)}`,
  );
  console.log(
    `model: SegNet ${preset}, filters ${model.filters.join("/")}, convs ${model.convs.join("/")}, upsampling ${model.upsampling}`,
  );
  await mkdir(flags.out, { recursive: true });

  // Ctrl-C, or SIGTERM from `kill` or a batch scheduler stopping the job.
  const abort = new AbortController();
  const onInterrupt = (signal: NodeJS.Signals) => {
    console.error(`\n${signal}: stopping after this batch (Ctrl-C again to quit at once)`);
    abort.abort();
    process.once("SIGINT", () => process.exit(130));
  };
  process.once("SIGINT", onInterrupt);
  process.once("SIGTERM", onInterrupt);
  try {
    const { report, model: trained } = await train({
      config,
      dataset,
      dataSha256,
      out: flags.out,
      backend: backend.summary,
      resume: flags.resume,
      signal: abort.signal,
      onBatch: (epoch, done, total) => progress.update(`epoch ${epoch}`, done, total),
      onEpoch: (record, improved) => {
        progress.stop();
        console.log(epochLine(record, improved));
      },
    });
    progress.stop();
    trained.dispose();
    console.log(`stopped: ${report.stopMessage}`);
    if (report.bestEpoch === null) {
      console.log("no epoch completed: nothing saved");
    } else {
      const best = report.history.find((r) => r.epoch === report.bestEpoch)!;
      console.log(
        `best epoch ${report.bestEpoch}: validation loss ${best.valLoss.toFixed(4)}, mean IoU ${percent(best.valMeanIoU)}`,
      );
      console.log(
        `model: ${join(flags.out, "model.json")}; report: ${join(flags.out, REPORT_FILE)}; curve: ${join(flags.out, CURVE_FILE)}`,
      );
    }
    if (report.stopReason === "non-finite-loss") throw new UserError(report.stopMessage);
  } finally {
    process.removeListener("SIGINT", onInterrupt);
    process.removeListener("SIGTERM", onInterrupt);
  }
}

/** The configuration `flags` ask for; `preset` where they name none (the GPU's or the CPU's). */
function trainConfig(flags: TrainFlags, preset: PresetName): TrainConfig {
  if (flags.validation >= 1) throw new UserError("--validation must be a fraction below 1");
  const chosen = flags.preset ?? preset;
  return {
    preset: chosen,
    model: {
      ...SEGNET_PRESETS[chosen],
      ...(flags.filters && { filters: flags.filters }),
      ...(flags.convs && { convs: flags.convs }),
      ...(flags.dropout && { dropout: flags.dropout }),
      ...(flags.upsampling && { upsampling: flags.upsampling }),
    },
    learningRate: flags.learningRate,
    schedule: flags.schedule,
    batchSize: flags.batchSize,
    maxEpochs: flags.epochs,
    patience: flags.patience,
    minDelta: flags.minDelta,
    loss: flags.loss,
    classWeights: flags.classWeights,
    permutationInvariant: flags.permutationInvariant,
    augment: flags.augment,
    jitter: flags.jitter,
    overlapGain: flags.overlapGain,
    split: flags.split,
    validationFraction: flags.validation,
    seed: flags.seed,
  };
}

function epochLine(r: EpochRecord, improved: boolean): string {
  const iou = CLASS_NAMES.map((n) => `${n} ${percent(r.valIoU[n])}`).join(", ");
  return `epoch ${r.epoch}: loss ${r.loss.toFixed(4)}, val loss ${r.valLoss.toFixed(4)}${improved ? " (best, saved)" : ""}, val accuracy ${percent(r.valPixelAccuracy, 2)}, IoU: ${iou}; ${r.imagesPerSecond.toFixed(1)} images/s, ${r.seconds.toFixed(0)} s`;
}
