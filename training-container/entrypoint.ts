/**
 * The training job's command (training-container/Dockerfile): reads its settings from the
 * environment the Batch job definition sets (src/pipeline/training-environment.ts), trains,
 * evaluates, exports and publishes (src/pipeline/training-job.ts). `--force` publishes past the
 * quality gate.
 *
 * Exit codes: 0 done (published, or kept back by the quality gate: the log says which); 2 bad
 * settings or bad data (retrying cannot help); 1 anything else: S3 or the machine failed (a retry
 * may help).
 */
import { S3Client } from "@aws-sdk/client-s3";
import { UserError } from "../src/errors.js";
import { runTrainingJob } from "../src/pipeline/training-job.js";
import { readTrainingEnvironment } from "../src/pipeline/training-environment.js";
import { SETTINGS } from "../src/settings.js";

export const EXIT_CODES = { done: 0, fault: 1, badInput: 2 } as const;

async function main(): Promise<number> {
  try {
    const settings = readTrainingEnvironment();
    const result = await runTrainingJob({
      s3: new S3Client({}),
      settings,
      workDir: SETTINGS.trainingWorkDir,
      force: process.argv.includes("--force"),
    });
    console.log(
      `done: version ${result.version}, test mean IoU ${(100 * result.testMeanIoU).toFixed(2)} %, ` +
        `${result.promoted ? "published as the current model" : "not published"} (${result.reason})`,
    );
    return EXIT_CODES.done;
  } catch (error) {
    const message = (error as Error).message;
    if (error instanceof UserError) {
      console.error(`bad settings or data, not retrying: ${message}`);
      return EXIT_CODES.badInput;
    }
    console.error(
      `failed (S3, the machine, or a bug; a retry may help): ${(error as Error).stack}`,
    );
    return EXIT_CODES.fault;
  }
}

process.exitCode = await main();
