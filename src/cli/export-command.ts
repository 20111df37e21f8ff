import { join } from "node:path";
import { Command, Option } from "commander";
import { CHROMOSOME_NAMINGS } from "../data/name-by-area.js";
import type { ChromosomeNaming } from "../data/name-by-area.js";
import { SAMPLE_FRAME } from "../data/samples.js";
import { exportToOnnx } from "../export/export.js";
import {
  MAX_ABS_DIFFERENCE,
  MIN_ARGMAX_AGREEMENT,
  NOISE_MAX_ABS_DIFFERENCE,
  describeParity,
  loadParityImage,
} from "../export/parity.js";
import { writeFileAtomically } from "../files.js";
import { BACKEND_CHOICES, selectBackend } from "../model/backend.js";
import type { BackendChoice } from "../model/backend.js";
import { loadModel, modelFolder } from "../model/storage.js";
import { SAMPLE_METAPHASE } from "../sample-images.js";
import { REPORT_FILE, readTrainingReport } from "../train/training-report.js";
import { megabytes, percent } from "../format.js";
import { examples, positive } from "./options.js";

interface ExportFlags {
  switchTolerance?: number;
  model: string;
  out?: string;
  parityImage: string;
  backend: BackendChoice;
  naming?: ChromosomeNaming;
}

export function exportCommand(): Command {
  return new Command("export")
    .summary("convert a trained model to ONNX, checked against tfjs")
    .description(
      "Convert a model trained by chromoseg train (tfjs format) to an ONNX file for onnxruntime: batch norms " +
        "folded into the convolutions, dropout removed, NHWC input [batch, height, width, 1] (grey / 255) and " +
        "output [batch, height, width, 4] (probabilities of background, chromosome A, chromosome B, overlap); " +
        "batch, height and width are dynamic (height and width multiples of 2^depth). Opset 13.\n\n" +
        "The file's metadata_props (keys chromoseg.*) hold the classes and colours, the input contract, the " +
        "preset and configuration, the training data's sha256 and the best epoch's validation figures (from " +
        "training-report.json beside the model), and the parity figures.\n\n" +
        `Parity: tfjs and onnxruntime run on random crops, real crops of ${SAMPLE_FRAME.height} × ${SAMPLE_FRAME.width} (padded to 96 × 96) and one of ` +
        `152 × 200 cut from --parity-image decimated ÷ 2; the export fails, writing nothing, unless ` +
        `max |Δ probability| ≤ ${MAX_ABS_DIFFERENCE} on the real crops and ≤ ${NOISE_MAX_ABS_DIFFERENCE} on the random ones ` +
        `(noise drives the activations, and the engines' rounding, far above any image's), and the most probable ` +
        `class agrees on ≥ ${percent(MIN_ARGMAX_AGREEMENT, 2)} of pixels.`,
    )
    .requiredOption("-m, --model <dir>", "the folder of chromoseg train, or its model.json")
    .option("-o, --out <file.onnx>", "where to write (default: model.onnx in the model's folder)")
    .option(
      "--parity-image <file>",
      "a metaphase image at full resolution, for the parity check's real crops",
      SAMPLE_METAPHASE,
    )
    .option(
      "--switch-tolerance <τ>",
      "replace the width of the unpooling switches' ramp (for models trained with hard switches, which " +
        "onnxruntime cannot reproduce; this changes the model, so evaluate the export)",
      positive(true),
    )
    .addOption(
      new Option(
        "--naming <who>",
        "who names chromosomes A and B, for a model without its training-report.json: network (trained " +
          "on the labels as given) or area (trained with the permutation-invariant loss, the default since " +
          "December 2026); with a report, the report's",
      ).choices(CHROMOSOME_NAMINGS),
    )
    .addOption(
      new Option("--backend <name>", "TensorFlow.js backend of the reference run")
        .choices(BACKEND_CHOICES)
        .default("auto"),
    )
    .addHelpText("after", examples("chromoseg export --model runs/lite --out runs/lite/model.onnx"))
    .action(async (flags: ExportFlags) => {
      const backend = await selectBackend(flags.backend);
      console.log(backend.summary);
      const folder = await modelFolder(flags.model);
      const model = await loadModel(flags.model);
      const report = await readTrainingReport(join(folder, REPORT_FILE));
      if (!report && !flags.naming) {
        console.error(
          `warning: no ${REPORT_FILE} in ${folder}: the export says the network names chromosomes A and B ` +
            "itself; for a model trained with the permutation-invariant loss (train's default) add --naming area",
        );
      }
      const parityImage = await loadParityImage(flags.parityImage);
      const started = performance.now();
      const { bytes, metadata } = await exportToOnnx({
        model,
        report,
        parityImage,
        switchTolerance: flags.switchTolerance,
        naming: flags.naming,
      });
      const out = flags.out ?? join(folder, "model.onnx");
      await writeFileAtomically(out, bytes);
      const { parity, network, training } = metadata;
      console.log(
        `model: ${network.preset ?? "no training report"}, ${network.parameters} parameters` +
          (training?.validation
            ? `, best epoch ${training.bestEpoch}: validation mean IoU ${percent(training.validation.meanIoU, 2)}`
            : ""),
      );
      console.log(
        `parity over ${parity.pixels} pixels (tfjs ${parity.tfjsBackend} vs onnxruntime):`,
      );
      for (const what of parity.inputs) console.log(`  ${what}`);
      console.log(`  ${describeParity(parity)}`);
      console.log(
        `wrote ${out} (${megabytes(bytes.length)}) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
    });
}
