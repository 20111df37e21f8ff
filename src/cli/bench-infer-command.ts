import { availableParallelism } from "node:os";
import { Command, Option } from "commander";
import { SAMPLE_FRAME } from "../data/samples.js";
import { DEFAULT_MODEL, DEFAULT_MODEL_NAME } from "../default-model.js";
import { DEFAULT_SLIDE, benchmarkInference } from "../infer/bench-infer.js";
import { measurePeak } from "../onnx/machine-peak.js";
import { table } from "../format.js";
import { examples, integer } from "./options.js";

const { height: CROP_HEIGHT, width: CROP_WIDTH } = SAMPLE_FRAME;

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
      const { speeds, preset, paddedCrop, slide, coldStart } = await benchmarkInference({
        ...flags,
        onStage: (line) => flags.json || console.error(line),
      });
      if (flags.json) {
        console.log(JSON.stringify(speeds));
        return;
      }
      const { onnxruntime, tfjsWasm, macsPerCrop } = speeds;
      const peak = await measurePeak(flags.threads);
      const fraction = (cropsPerSec: number) =>
        `${((100 * 2 * macsPerCrop * cropsPerSec) / peak.flops).toFixed(1)} %`;
      console.log(
        `${preset ?? "model"}: ${(macsPerCrop / 1e6).toFixed(0)} M multiply-adds per ` +
          `${CROP_HEIGHT} × ${CROP_WIDTH} crop (padded to ${paddedCrop.height} × ${paddedCrop.width}); ` +
          `${flags.crops} crops per measurement, ${flags.threads} threads`,
      );
      console.log(
        table([
          ["engine", "batch", "crops/s", "of peak"],
          ["onnxruntime-node", 1, onnxruntime.batch1.toFixed(0), fraction(onnxruntime.batch1)],
          ["onnxruntime-node", 32, onnxruntime.batch32.toFixed(0), fraction(onnxruntime.batch32)],
          ["tfjs wasm predict", 32, tfjsWasm.batch32.toFixed(0), fraction(tfjsWasm.batch32)],
        ]),
      );
      console.log(`onnxruntime / tfjs wasm at batch 32: ${speeds.ratio.toFixed(1)} ×`);
      console.log(
        `whole slide (${slide}), file to written outputs: ${speeds.slideSeconds.toFixed(2)} s`,
      );
      console.log(
        `cold start: ${(coldStart.firstResult / 1000).toFixed(2)} s (node started ${ms(coldStart.booted)}, ` +
          `modules loaded +${ms(coldStart.modulesLoaded - coldStart.booted)}, session created ` +
          `+${ms(coldStart.sessionCreated - coldStart.modulesLoaded)}, first result +${ms(coldStart.firstResult - coldStart.sessionCreated)})`,
      );
      console.log(`peak: ${peak.description}`);
    });
}

function ms(value: number): string {
  return `${value.toFixed(0)} ms`;
}
