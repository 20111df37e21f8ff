import { Duration } from "aws-cdk-lib";
import * as events from "aws-cdk-lib/aws-events";
import * as targets from "aws-cdk-lib/aws-events-targets";
import type * as s3 from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import type { TrainingJob } from "./training-job.js";

export interface TrainingTriggersProps {
  /** The job the rules submit. */
  readonly job: TrainingJob;
  /**
   * When the scheduled retraining runs (UTC).
   * @default - weekly, Sundays at 03:00 UTC
   */
  readonly schedule?: events.Schedule;
  /**
   * Whether the schedule is on. Off, its rule still exists, disabled: it can be switched on in the
   * EventBridge console, or by deploying again with it on.
   * @default true
   */
  readonly scheduleEnabled?: boolean;
  /**
   * Also submit a job whenever a new version of the job's dataset is written to this bucket (turns
   * on the bucket's EventBridge notifications).
   * @default - no dataset trigger
   */
  readonly datasetBucket?: s3.Bucket;
}

/** EventBridge rules that submit the training job: on a schedule, and optionally on a new dataset. */
export class TrainingTriggers extends Construct {
  readonly scheduleRule: events.Rule;
  readonly datasetRule?: events.Rule;

  constructor(scope: Construct, id: string, props: TrainingTriggersProps) {
    super(scope, id);
    const { job } = props;
    const target = new targets.BatchJob(
      job.jobQueue.jobQueueArn,
      job.jobQueue,
      job.jobDefinition.jobDefinitionArn,
      job.jobDefinition,
      { jobName: "chromoseg-training", retryAttempts: 2, maxEventAge: Duration.hours(1) },
    );

    this.scheduleRule = new events.Rule(this, "Schedule", {
      description: "Retrains the chromoseg model",
      schedule: props.schedule ?? events.Schedule.cron({ weekDay: "SUN", hour: "3", minute: "0" }),
      enabled: props.scheduleEnabled ?? true,
      targets: [target],
    });

    if (props.datasetBucket) {
      props.datasetBucket.enableEventBridgeNotification();
      // The job trains on its configured key, so only that key's new versions trigger it.
      this.datasetRule = new events.Rule(this, "NewDataset", {
        description: "Retrains the chromoseg model when its dataset is replaced",
        eventPattern: {
          source: ["aws.s3"],
          detailType: ["Object Created"],
          detail: {
            bucket: { name: [props.datasetBucket.bucketName] },
            object: { key: [job.configuration.datasetKey] },
          },
        },
        targets: [target],
      });
    }
  }
}
