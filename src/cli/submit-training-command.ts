import { BatchClient, SubmitJobCommand } from "@aws-sdk/client-batch";
import type { SubmitJobCommandInput } from "@aws-sdk/client-batch";
import { CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { Command, Option } from "commander";
import { UserError } from "../errors.js";
import { PRESET_NAMES } from "../model/config.js";
import type { PresetName } from "../model/config.js";
import { DEFAULT_STACK_NAME, STACK_OUTPUTS } from "../pipeline/stack-outputs.js";
import { TRAINING_ENVIRONMENT } from "../pipeline/training-environment.js";
import type { TrainingEnvironment } from "../pipeline/training-environment.js";
import { examples, integer } from "./options.js";

interface SubmitFlags {
  stack: string;
  jobQueue?: string;
  jobDefinition?: string;
  preset?: PresetName;
  epochs?: number;
  patience?: number;
  datasetKey?: string;
}

export function submitTrainingCommand(): Command {
  return new Command("submit-training")
    .summary("start the GPU training job on AWS Batch")
    .description(
      "Submits the training job of a deployed chromoseg stack to its AWS Batch queue, with the job definition's " +
        "settings or the overrides given. The queue and the job definition come from the stack's outputs " +
        "(CloudFormation), or from --job-queue and --job-definition. Credentials and region: the standard AWS " +
        "configuration.",
    )
    .option("--stack <name>", "the deployed stack", DEFAULT_STACK_NAME)
    .option("--job-queue <arn>", "instead of the stack's output")
    .option("--job-definition <arn>", "instead of the stack's output")
    .addOption(new Option("-p, --preset <name>", "override: the network").choices(PRESET_NAMES))
    .option("-e, --epochs <n>", "override: maximum epochs", integer(1))
    .option("--patience <n>", "override: early stopping's patience", integer(1))
    .option("--dataset-key <key>", "override: the training set, under datasets/")
    .addHelpText(
      "after",
      examples(
        "chromoseg submit-training",
        "chromoseg submit-training --preset lite --epochs 30 --dataset-key datasets/all.h5",
      ),
    )
    .action(async (flags: SubmitFlags) => {
      const { jobQueue, jobDefinition } = await jobTarget(flags);
      const request = trainingJobRequest(jobQueue, jobDefinition, {
        preset: flags.preset,
        epochs: flags.epochs,
        patience: flags.patience,
        datasetKey: flags.datasetKey,
      });
      const { jobId, jobName } = await new BatchClient({}).send(new SubmitJobCommand(request));
      console.log(`submitted ${jobName} (job ${jobId}) to ${jobQueue}`);
      console.log(
        `follow it:  aws batch describe-jobs --jobs ${jobId} --query 'jobs[0].[status,statusReason]'`,
      );
      console.log(
        "its log:    the job's CloudWatch log stream, named in describe-jobs (container.logStreamName)",
      );
    });
}

/** The SubmitJob request: the overrides go in as the environment the training job reads. */
export function trainingJobRequest(
  jobQueue: string,
  jobDefinition: string,
  overrides: Partial<Pick<TrainingEnvironment, "preset" | "epochs" | "patience" | "datasetKey">>,
  now = new Date(),
): SubmitJobCommandInput {
  const environment = Object.entries(overrides)
    .filter(([, value]) => value !== undefined)
    .map(([setting, value]) => ({
      name: TRAINING_ENVIRONMENT[setting as keyof typeof overrides],
      value: String(value),
    }));
  return {
    jobName: `chromoseg-training-${now.toISOString().replace(/[:.]/g, "-")}`,
    jobQueue,
    jobDefinition,
    ...(environment.length && { containerOverrides: { environment } }),
  };
}

async function jobTarget(flags: SubmitFlags): Promise<{ jobQueue: string; jobDefinition: string }> {
  if (flags.jobQueue && flags.jobDefinition)
    return { jobQueue: flags.jobQueue, jobDefinition: flags.jobDefinition };
  const { Stacks } = await new CloudFormationClient({}).send(
    new DescribeStacksCommand({ StackName: flags.stack }),
  );
  const outputs = new Map((Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
  const jobQueue = flags.jobQueue ?? outputs.get(STACK_OUTPUTS.jobQueueArn);
  const jobDefinition = flags.jobDefinition ?? outputs.get(STACK_OUTPUTS.jobDefinitionArn);
  if (!jobQueue || !jobDefinition)
    throw new UserError(
      `stack ${flags.stack} has no ${STACK_OUTPUTS.jobQueueArn} / ${STACK_OUTPUTS.jobDefinitionArn} outputs; give --job-queue and --job-definition`,
    );
  return { jobQueue, jobDefinition };
}
