import { Command } from "commander";
import { benchGenerateCommand } from "./bench-generate-command.js";
import { benchInferCommand } from "./bench-infer-command.js";
import { benchKernelsCommand } from "./bench-kernels-command.js";
import { benchTrainCommand } from "./bench-train-command.js";

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
