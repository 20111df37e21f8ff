import { CfnOutput, Stack, Validations } from "aws-cdk-lib";
import { STACK_OUTPUTS } from "../src/pipeline/stack-outputs.js";
import type { StackProps } from "aws-cdk-lib";
import * as kms from "aws-cdk-lib/aws-kms";
import type { Construct } from "constructs";
import { DataBucket } from "./constructs/data-bucket.js";
import type { DataBucketProps } from "./constructs/data-bucket.js";
import { SegmentFunction } from "./constructs/segment-function.js";
import type { SegmentFunctionProps } from "./constructs/segment-function.js";
import { TrainingJob } from "./constructs/training-job.js";
import type { TrainingJobProps } from "./constructs/training-job.js";
import { TrainingNetwork } from "./constructs/training-network.js";
import { TrainingTriggers } from "./constructs/training-triggers.js";
import type { TrainingTriggersProps } from "./constructs/training-triggers.js";

export interface ChromosegStackProps extends StackProps {
  /**
   * Encrypt the bucket with a new customer-managed KMS key (rotated yearly, kept when the stack is
   * deleted; about $1 a month) instead of S3-managed keys.
   * @default false
   */
  readonly kmsEncryption?: boolean;
  /** @default - DataBucket's defaults */
  readonly bucket?: Omit<DataBucketProps, "encryptionKey">;
  /** @default - SegmentFunction's defaults */
  readonly segment?: Omit<SegmentFunctionProps, "data">;
  /** @default - TrainingJob's defaults */
  readonly training?: Omit<TrainingJobProps, "data" | "vpc" | "vpcSubnets">;
  /** @default - TrainingTriggers' defaults */
  readonly triggers?: Omit<TrainingTriggersProps, "job" | "datasetBucket">;
  /**
   * Also retrain whenever a new version of the training dataset is uploaded.
   * @default false
   */
  readonly retrainOnNewDataset?: boolean;
}

export { STACK_OUTPUTS };

/**
 * chromoseg on AWS: a bucket whose uploads/ are segmented into results/ by a container-image
 * Lambda function, and a GPU training job on AWS Batch that writes new models to models/, run on
 * a schedule.
 */
export class ChromosegStack extends Stack {
  readonly data: DataBucket;
  readonly segment: SegmentFunction;
  readonly training: TrainingJob;
  readonly triggers: TrainingTriggers;

  constructor(scope: Construct, id: string, props: ChromosegStackProps = {}) {
    super(scope, id, props);

    const encryptionKey = props.kmsEncryption
      ? new kms.Key(this, "Key", {
          description: "Encrypts the chromoseg bucket",
          enableKeyRotation: true,
        })
      : undefined;
    this.data = new DataBucket(this, "Data", { ...props.bucket, encryptionKey });
    this.segment = new SegmentFunction(this, "Segment", { ...props.segment, data: this.data });

    const network = new TrainingNetwork(this, "Network", { flowLogBucket: this.data.logBucket });
    this.training = new TrainingJob(this, "Training", {
      ...props.training,
      data: this.data,
      vpc: network.vpc,
      vpcSubnets: network.subnets,
    });
    this.triggers = new TrainingTriggers(this, "Triggers", {
      ...props.triggers,
      job: this.training,
      datasetBucket: props.retrainOnNewDataset ? this.data.bucket : undefined,
    });

    const outputs: Record<keyof typeof STACK_OUTPUTS, string> = {
      bucketName: this.data.bucket.bucketName,
      functionName: this.segment.function.functionName,
      jobQueueArn: this.training.jobQueue.jobQueueArn,
      jobDefinitionArn: this.training.jobDefinition.jobDefinitionArn,
    };
    for (const [key, value] of Object.entries(outputs)) {
      new CfnOutput(this, STACK_OUTPUTS[key as keyof typeof STACK_OUTPUTS], { value });
    }

    this.suppressCdkInternals();
  }

  /** cdk-nag findings on what aws-cdk-lib itself adds to the stack. */
  private suppressCdkInternals(): void {
    // The singleton function behind S3 bucket notifications (a CloudFormation custom resource).
    const handler = this.node.children.find((child) =>
      child.node.id.startsWith("BucketNotificationsHandler"),
    );
    if (handler) {
      Validations.of(handler).acknowledge({
        id: "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
        reason:
          "aws-cdk-lib's bucket-notification handler, run only at deployment; its role and policy are not configurable.",
      });
    }
  }
}
