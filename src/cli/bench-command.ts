import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { DEFAULT_COMPRESSION_LEVEL, loadDataset, writeDataset } from "../data/hdf5.js";
import { generateDataset } from "../generate/generate.js";
import type { GenerateStage } from "../generate/generate.js";
import { megabytes, table } from "./format.js";
import { examples, integer } from "./options.js";
import { benchInferCommand } from "./bench-infer-command.js";
import { benchKernelsCommand } from "./bench-kernels-command.js";
import { benchTrainCommand } from "./bench-train-command.js";
import { SAMPLE_METAPHASE } from "../sample-images.js";

export function benchCommand(): Command {
  return new Command("bench")
    .summary("speed benchmarks that print their figures")
    .description(
      "Speed benchmarks. Each prints a table (or one JSON object with --json) measured in this run.",
    )
    .addCommand(benchGenerateCommand())
    .addCommand(benchTrainCommand())
    .addCommand(benchKernelsCommand())
    .addCommand(benchInferCommand());
}

interface BenchGenerateFlags {
  metaphase: string;
  compression: number;
  json?: boolean;
}

function benchGenerateCommand(): Command {
  return new Command("generate")
    .description(
      "Time `generate --preset like-kaggle` (13434 samples) from one metaphase image to a written HDF5 file, " +
        "stage by stage: finding chromosomes (decode included), rotating them, enumerating placements, " +
        "composing samples, writing. The baseline, timed in the same run: reading the written file back as " +
        "training reads it (decompressing and checking the labels).",
    )
    .option("-m, --metaphase <file>", "metaphase image", SAMPLE_METAPHASE)
    .option(
      "--compression <level>",
      "gzip level of the written file",
      integer(0, 9),
      DEFAULT_COMPRESSION_LEVEL,
    )
    .option(
      "--json",
      'print one JSON object: {"samples", "seconds", "samplesPerSecond", "stages", "readBackSeconds", "ratio"} (ratio: seconds / readBackSeconds)',
    )
    .addHelpText(
      "after",
      examples("chromoseg bench generate", "chromoseg bench generate --compression 9 --json"),
    )
    .action(async (flags: BenchGenerateFlags) => {
      const folder = await mkdtemp(join(tmpdir(), "chromoseg-bench-"));
      try {
        const stages: Record<string, number> = {};
        let stage: string | undefined;
        let mark = performance.now();
        const enter = (next: string) => {
          if (next === stage) return;
          const now = performance.now();
          if (stage) stages[stage] = (now - mark) / 1000;
          stage = next;
          mark = now;
        };
        const started = performance.now();
        enter("find");
        const generated = await generateDataset({
          metaphases: [flags.metaphase],
          preset: "like-kaggle",
          onProgress: (s: GenerateStage, done, total) => {
            if (done === total && s === "find") enter("pose");
            else if (s !== "find") enter(s);
          },
        });
        enter("write");
        const file = join(folder, "bench.h5");
        await writeDataset(file, generated.samples, { compressionLevel: flags.compression });
        enter("done");
        const seconds = (performance.now() - started) / 1000;
        const readStarted = performance.now();
        await loadDataset(file);
        const readBackSeconds = (performance.now() - readStarted) / 1000;
        const samples = generated.samples.count;
        const result = {
          samples,
          seconds,
          samplesPerSecond: samples / seconds,
          compressionLevel: flags.compression,
          stages,
          readBackSeconds,
          ratio: seconds / readBackSeconds,
        };
        if (flags.json) {
          console.log(JSON.stringify(result));
          return;
        }
        console.log(
          `generate like-kaggle from ${flags.metaphase}, gzip ${flags.compression}, file ${megabytes((await stat(file)).size)}`,
        );
        console.log(
          table([
            ["stage", "seconds", "share"],
            ...Object.entries(stages).map(([name, s]) => [
              name,
              s.toFixed(2),
              `${((100 * s) / seconds).toFixed(0)} %`,
            ]),
            ["total", seconds.toFixed(2), "100 %"],
          ]),
        );
        console.log(
          `${samples} samples in ${seconds.toFixed(1)} s: ${result.samplesPerSecond.toFixed(0)} samples/s`,
        );
        console.log(
          `baseline: reading the file back takes ${readBackSeconds.toFixed(1)} s; ` +
            `generating it takes ${result.ratio.toFixed(1)} × as long`,
        );
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    });
}
