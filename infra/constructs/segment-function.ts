import { Duration, RemovalPolicy, Validations } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { SqsDestination } from "aws-cdk-lib/aws-lambda-destinations";
import * as logs from "aws-cdk-lib/aws-logs";
import * as s3 from "aws-cdk-lib/aws-s3";
import * as s3n from "aws-cdk-lib/aws-s3-notifications";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { SEGMENT_ENVIRONMENT } from "../../src/pipeline/segment-environment.js";
import {
  MODELS_PREFIX,
  RESULTS_PREFIX,
  TRIGGER_SUFFIXES,
  UPLOADS_PREFIX,
} from "../../src/pipeline/bucket-layout.js";
import { MODEL_POINTER_KEY } from "../../src/pipeline/model-pointer.js";
import { BUILD_CONTEXT, SEGMENT_DOCKERFILE, imageOptions } from "../docker-images.js";
import type { DataBucket } from "./data-bucket.js";

export interface SegmentFunctionProps {
  /** The bucket whose uploads/ the function segments into results/. */
  readonly data: DataBucket;
  /**
   * Memory, in MB; Lambda gives CPU in proportion (2048 MB is a little over one vCPU).
   * @default 2048
   */
  readonly memorySize?: number;
  /**
   * Longest run for one upload.
   * @default Duration.seconds(60)
   */
  readonly timeout?: Duration;
  /**
   * Concurrent runs reserved for (and capped at) this function.
   * @default - no reservation: it shares the account's unreserved concurrency
   */
  readonly reservedConcurrentExecutions?: number;
  /**
   * How long the function's logs are kept.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * The container-image function that segments each image uploaded under uploads/ and writes under
 * results/. S3 invokes it asynchronously: Lambda retries a failed upload twice, then sends the
 * event to the failure queue; alarms watch that queue and the function's errors.
 */
export class SegmentFunction extends Construct {
  /** How many times Lambda retries a failed asynchronous invocation (S3's event) before giving up. */
  static readonly RETRY_ATTEMPTS = 2;

  readonly function: lambda.DockerImageFunction;
  /** Events of uploads that failed every attempt (kept 14 days). */
  readonly failureQueue: sqs.Queue;
  readonly failureAlarm: cloudwatch.Alarm;
  readonly errorAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: SegmentFunctionProps) {
    super(scope, id);
    const { data } = props;

    const logGroup = new logs.LogGroup(this, "Logs", {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Its own role rather than the AWS managed basic-execution policy: logs to this group only.
    const role = new iam.Role(this, "Role", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
    });
    logGroup.grantWrite(role);

    this.failureQueue = new sqs.Queue(this, "Failures", {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.failureQueue).acknowledge({
      id: "AwsSolutions-SQS3",
      reason:
        "This queue is itself the dead end: the function's on-failure destination, watched by an alarm and kept 14 days.",
    });

    this.function = new lambda.DockerImageFunction(this, "Function", {
      code: lambda.DockerImageCode.fromImageAsset(BUILD_CONTEXT, imageOptions(SEGMENT_DOCKERFILE)),
      architecture: lambda.Architecture.X86_64,
      memorySize: props.memorySize ?? 2048,
      timeout: props.timeout ?? Duration.seconds(60),
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      role,
      logGroup,
      environment: {
        [SEGMENT_ENVIRONMENT.bucket]: data.bucket.bucketName,
        [SEGMENT_ENVIRONMENT.modelPointerKey]: MODEL_POINTER_KEY,
      },
      retryAttempts: SegmentFunction.RETRY_ATTEMPTS,
      onFailure: new SqsDestination(this.failureQueue),
    });

    data.grantReadUnder(this.function, UPLOADS_PREFIX);
    data.grantReadUnder(this.function, MODELS_PREFIX);
    data.grantWriteUnder(this.function, RESULTS_PREFIX);
    // An upload segmented again first deletes its earlier results (segment-upload.ts).
    data.grantDeleteUnder(this.function, RESULTS_PREFIX);

    // One notification per suffix (S3 takes one suffix per filter); see TRIGGER_SUFFIXES for case.
    const destination = new s3n.LambdaDestination(this.function);
    for (const suffix of TRIGGER_SUFFIXES) {
      data.bucket.addEventNotification(s3.EventType.OBJECT_CREATED, destination, {
        prefix: UPLOADS_PREFIX,
        suffix,
      });
    }

    const period = Duration.minutes(5);
    this.failureAlarm = new cloudwatch.Alarm(this, "FailuresAlarm", {
      alarmDescription: "Uploads that failed segmentation after every retry are in the queue",
      metric: this.failureQueue.metricApproximateNumberOfMessagesVisible({
        period,
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.errorAlarm = new cloudwatch.Alarm(this, "ErrorsAlarm", {
      alarmDescription: "The segment function failed (each retry counts)",
      metric: this.function.metricErrors({ period, statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
