import { availableParallelism } from "node:os";
import * as tf from "@tensorflow/tfjs";
import { Command, Option } from "commander";
import { selectBackend } from "../model/backend.js";
import { SEGNET_PRESETS, UPSAMPLINGS } from "../model/config.js";
import type { Upsampling } from "../model/config.js";
import { buildSegNet } from "../model/segnet.js";
import { seededRandom } from "../random.js";
import type { Batch } from "../train/batches.js";
import { makeLoss } from "../train/loss.js";
import { trainingStep } from "../train/step.js";
import { table } from "../format.js";
import { examples, integer } from "./options.js";

interface BenchTrainFlags {
  steps: number;
  cpuSteps: number;
  batchSize: number;
  size: number;
  upsampling: Upsampling;
  threads: number;
  json?: boolean;
}

interface BackendFigures {
  steps: number;
  seconds: number;
  imagesPerSecond: number;
}

export function benchTrainCommand(): Command {
  return new Command("train")
    .description(
      "Images per second of SegNet lite training steps (Adam, cross-entropy, batch norm and dropout in training " +
        "mode) on the wasm backend with chromoseg's fast gradient kernels against the plain cpu backend, measured " +
        "in the same run. wasm is timed after one warm-up step (it compiles and allocates on the first); cpu has " +
        "nothing to warm up and is timed from its first step, which takes about 50 s an image (13–14 min for batch " +
        "16) on a 2-core machine. The data are random: speed does not depend on the values.",
    )
    .option("--steps <n>", "timed steps on wasm", integer(1), 10)
    .option("--cpu-steps <n>", "timed steps on cpu (minutes each)", integer(1), 1)
    .option("-b, --batch-size <n>", "samples per step", integer(1), 16)
    .option("--size <px>", "input height and width (a multiple of 8)", integer(8), 96)
    .addOption(
      new Option("--upsampling <mode>", "decoder upsampling")
        .choices(UPSAMPLINGS)
        .default(SEGNET_PRESETS.lite.upsampling),
    )
    .option("--threads <n>", "wasm threads", integer(1), availableParallelism())
    .option("--json", 'print one JSON object: {"backends": {"wasm": {...}, "cpu": {...}}, "ratio"}')
    .addHelpText(
      "after",
      examples("chromoseg bench train", "chromoseg bench train --steps 20 --json"),
    )
    .action(async (flags: BenchTrainFlags) => {
      const wasm = await timeBackend("wasm", { warmUpSteps: 1, steps: flags.steps }, flags);
      const cpu = await timeBackend("cpu", { warmUpSteps: 0, steps: flags.cpuSteps }, flags);
      const result = {
        backends: { wasm, cpu },
        ratio: wasm.imagesPerSecond / cpu.imagesPerSecond,
        batchSize: flags.batchSize,
        size: flags.size,
        threads: flags.threads,
      };
      if (flags.json) {
        console.log(JSON.stringify(result));
        return;
      }
      console.log(
        `SegNet lite (${flags.upsampling}), ${flags.size} × ${flags.size}, batch ${flags.batchSize}, wasm threads ${flags.threads}`,
      );
      console.log(
        table([
          ["backend", "steps", "seconds", "images/s"],
          [
            "wasm (fast kernels)",
            wasm.steps,
            wasm.seconds.toFixed(2),
            wasm.imagesPerSecond.toFixed(1),
          ],
          ["cpu", cpu.steps, cpu.seconds.toFixed(2), cpu.imagesPerSecond.toFixed(2)],
        ]),
      );
      console.log(`wasm / cpu: ${result.ratio.toFixed(1)} ×`);
    });
}

async function timeBackend(
  backend: "wasm" | "cpu",
  { warmUpSteps, steps }: { warmUpSteps: number; steps: number },
  flags: BenchTrainFlags,
): Promise<BackendFigures> {
  await selectBackend(backend, flags.threads);
  console.error(
    `${backend}: ${warmUpSteps} warm-up and ${steps} timed step${steps === 1 ? "" : "s"}`,
  );
  const model = buildSegNet({ ...SEGNET_PRESETS.lite, upsampling: flags.upsampling });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: "categoricalCrossentropy" });
  const loss = makeLoss("crossentropy");
  const batch = randomBatch(flags.batchSize, flags.size);
  for (let s = 0; s < warmUpSteps; s++) await trainingStep(model, loss, batch);
  const started = performance.now();
  for (let s = 0; s < steps; s++) await trainingStep(model, loss, batch);
  const seconds = (performance.now() - started) / 1000;
  model.dispose();
  return { steps, seconds, imagesPerSecond: (steps * flags.batchSize) / seconds };
}

function randomBatch(count: number, size: number): Batch {
  const random = seededRandom(1);
  return {
    count,
    height: size,
    width: size,
    input: Float32Array.from({ length: count * size * size }, () => random()),
    labels: Uint8Array.from({ length: count * size * size }, () => Math.floor(random() * 4)),
  };
}
