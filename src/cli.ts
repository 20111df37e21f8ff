/**
 * The `chromoseg` command line.
 */
import { Command } from "commander";
import { benchCommand } from "./cli/bench-command.js";
import { chromosomesCommand } from "./cli/chromosomes-command.js";
import { evaluateCommand } from "./cli/evaluate-command.js";
import { evaluateSlidesCommand } from "./cli/evaluate-slides-command.js";
import { exportCommand } from "./cli/export-command.js";
import { generateCommand } from "./cli/generate-command.js";
import { inspectCommand } from "./cli/inspect-command.js";
import { localCommand } from "./cli/local-command.js";
import { modelsCommand } from "./cli/models-command.js";
import { segmentCommand } from "./cli/segment-command.js";
import { submitTrainingCommand } from "./cli/submit-training-command.js";
import { trainCommand } from "./cli/train-command.js";
import { UserError } from "./errors.js";
import { VERSION } from "./version.js";

const program = new Command("chromoseg")
  .description(
    "Separate overlapping chromosomes in metaphase images: datasets, training, inference.",
  )
  .version(VERSION, "-V, --version", "print chromoseg's version")
  .option("-v, --verbose", "print stack traces of errors")
  .showHelpAfterError("(add --help for usage)")
  .addCommand(generateCommand())
  .addCommand(chromosomesCommand())
  .addCommand(inspectCommand())
  .addCommand(trainCommand())
  .addCommand(evaluateCommand())
  .addCommand(evaluateSlidesCommand())
  .addCommand(exportCommand())
  .addCommand(segmentCommand())
  .addCommand(modelsCommand())
  .addCommand(localCommand())
  .addCommand(submitTrainingCommand())
  .addCommand(benchCommand());

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const verbose = Boolean(program.opts().verbose);
  const message = error instanceof Error ? error.message : String(error);
  console.error(`chromoseg: ${message}`);
  if (verbose && error instanceof Error) console.error(error.stack);
  else if (!(error instanceof UserError))
    console.error("(run again with --verbose for the stack trace)");
  process.exitCode = 1;
}
