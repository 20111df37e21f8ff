import { Duration, RemovalPolicy, Size, Validations } from "aws-cdk-lib";
import * as batch from "aws-cdk-lib/aws-batch";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as ecs from "aws-cdk-lib/aws-ecs";
import * as iam from "aws-cdk-lib/aws-iam";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import type { PresetName } from "../../src/model/config.js";
import { DATASETS_PREFIX, MODELS_PREFIX } from "../../src/pipeline/bucket-layout.js";
import {
  TRAINING_ENVIRONMENT,
  readTrainingEnvironment,
} from "../../src/pipeline/training-environment.js";
import type { TrainingEnvironment } from "../../src/pipeline/training-environment.js";
import { DEFAULT_PRESETS, TRAIN_DEFAULTS } from "../../src/train/train-config.js";
import { BUILD_CONTEXT, TRAINING_DOCKERFILE, imageOptions } from "../docker-images.js";
import type { DataBucket } from "./data-bucket.js";

export interface TrainingJobProps {
  /** The bucket the job reads datasets/ from and writes models/ to. */
  readonly data: DataBucket;
  /** The VPC the GPU instances launch in. */
  readonly vpc: ec2.IVpc;
  /**
   * The subnets the instances launch in; they need a route to ECR, ECS and CloudWatch Logs.
   * @default - the VPC's public subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * GPU instance types Batch may launch; each must have at least `cpu` vCPUs, `memory` and one
   * NVIDIA GPU.
   * @default [g4dn.xlarge] (4 vCPUs, 16 GiB, one T4)
   */
  readonly instanceTypes?: ec2.InstanceType[];
  /**
   * Run on Spot instances (cheaper; a reclaimed instance's job is retried).
   * @default false
   */
  readonly spot?: boolean;
  /**
   * Most vCPUs running at once, which caps the cost: 4 is one job on one g4dn.xlarge.
   * @default 4
   */
  readonly maxvCpus?: number;
  /**
   * The ECS AMI Batch launches; it must be a GPU (NVIDIA) one.
   * @default batch.EcsMachineImageType.ECS_AL2_NVIDIA
   */
  readonly imageType?: batch.EcsMachineImageType;
  /**
   * vCPUs the job reserves.
   * @default 4 (all of a g4dn.xlarge)
   */
  readonly cpu?: number;
  /**
   * Memory the job reserves; it must fit what the ECS agent leaves of the instance's memory.
   * @default Size.gibibytes(14) (a g4dn.xlarge has 16 GiB; the agent and the OS keep the rest)
   */
  readonly memory?: Size;
  /**
   * Longest run of one attempt; Batch stops it after that.
   * @default Duration.hours(8)
   */
  readonly timeout?: Duration;
  /**
   * Attempts in all, counting the first. Only attempts that ended because their host went away
   * (Spot reclaim, instance failure) are retried: a job that fails on its own fails again.
   * @default 3
   */
  readonly attempts?: number;
  /**
   * How long the job's logs are kept.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Key of the training set (HDF5, Kaggle layout), under datasets/.
   * @default "datasets/training.h5"
   */
  readonly datasetKey?: string;
  /**
   * Where trained models are written, a folder under models/.
   * @default "models/"
   */
  readonly modelPrefix?: string;
  /**
   * SegNet preset (`chromoseg train --preset`).
   * @default DEFAULT_PRESETS.gpu (the reference network: the GPU has room for it)
   */
  readonly preset?: PresetName;
  /**
   * Maximum epochs (`chromoseg train --epochs`).
   * @default TRAIN_DEFAULTS.maxEpochs (as `chromoseg train`)
   */
  readonly epochs?: number;
  /**
   * Epochs without improvement before stopping (`chromoseg train --patience`).
   * @default TRAIN_DEFAULTS.patience (as `chromoseg train`)
   */
  readonly patience?: number;
}

/**
 * Training on AWS Batch: a compute environment of GPU instances that scales to zero when no job
 * runs, a job queue, and the job definition of the training container (one GPU).
 */
export class TrainingJob extends Construct {
  readonly computeEnvironment: batch.ManagedEc2EcsComputeEnvironment;
  readonly jobQueue: batch.JobQueue;
  readonly jobDefinition: batch.EcsJobDefinition;
  /** The configuration each job runs with (its environment). */
  readonly configuration: TrainingEnvironment;

  constructor(scope: Construct, id: string, props: TrainingJobProps) {
    super(scope, id);
    const { data } = props;

    const environment: Record<keyof TrainingEnvironment, string> = {
      bucket: data.bucket.bucketName,
      datasetKey: props.datasetKey ?? `${DATASETS_PREFIX}training.h5`,
      modelPrefix: props.modelPrefix ?? MODELS_PREFIX,
      preset: props.preset ?? DEFAULT_PRESETS.gpu,
      epochs: String(props.epochs ?? TRAIN_DEFAULTS.maxEpochs),
      patience: String(props.patience ?? TRAIN_DEFAULTS.patience),
    };
    const variables = Object.fromEntries(
      Object.entries(environment).map(([key, value]) => [
        TRAINING_ENVIRONMENT[key as keyof TrainingEnvironment],
        value,
      ]),
    );
    // The container's own check, run at synth time: a bad setting fails `cdk synth`, not a job.
    this.configuration = readTrainingEnvironment(variables);

    // Nothing in. Out, HTTPS alone: the ECS agent, Batch, ECR and CloudWatch Logs over the
    // internet gateway (AWS's public addresses, so any address), S3 through the VPC's gateway
    // endpoint. DNS, the instance metadata and the time service are not subject to the group.
    const securityGroup = new ec2.SecurityGroup(this, "InstanceSecurityGroup", {
      vpc: props.vpc,
      description: "chromoseg training instances: HTTPS out to AWS services, nothing in",
      allowAllOutbound: false,
    });
    securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), "HTTPS to AWS services");

    this.computeEnvironment = new batch.ManagedEc2EcsComputeEnvironment(this, "Compute", {
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets ?? { subnetType: ec2.SubnetType.PUBLIC },
      securityGroups: [securityGroup],
      instanceTypes: props.instanceTypes ?? [new ec2.InstanceType("g4dn.xlarge")],
      useOptimalInstanceClasses: false,
      images: [{ imageType: props.imageType ?? batch.EcsMachineImageType.ECS_AL2_NVIDIA }],
      spot: props.spot ?? false,
      // No instance while the queue is empty: idle costs nothing.
      minvCpus: 0,
      maxvCpus: props.maxvCpus ?? 4,
    });
    Validations.of(this.computeEnvironment).acknowledge({
      id: "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role]",
      reason:
        "The instance role needs AmazonEC2ContainerServiceforEC2Role: what the ECS agent on a Batch instance calls.",
    });

    this.jobQueue = new batch.JobQueue(this, "Queue", {
      computeEnvironments: [{ computeEnvironment: this.computeEnvironment, order: 1 }],
    });

    const jobRole = new iam.Role(this, "JobRole", {
      assumedBy: new iam.ServicePrincipal("ecs-tasks.amazonaws.com"),
    });
    data.grantReadUnder(jobRole, DATASETS_PREFIX);
    data.grantReadUnder(jobRole, MODELS_PREFIX);
    data.grantWriteUnder(jobRole, MODELS_PREFIX);

    const logGroup = new logs.LogGroup(this, "Logs", {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const container = new batch.EcsEc2ContainerDefinition(this, "Container", {
      image: ecs.ContainerImage.fromAsset(BUILD_CONTEXT, imageOptions(TRAINING_DOCKERFILE)),
      gpu: 1,
      cpu: props.cpu ?? 4,
      memory: props.memory ?? Size.gibibytes(14),
      jobRole,
      environment: variables,
      logging: ecs.LogDriver.awsLogs({ logGroup, streamPrefix: "training" }),
    });
    Validations.of(container.executionRole).acknowledge({
      id: "AwsSolutions-IAM5[Resource::*]",
      reason:
        "ecr:GetAuthorizationToken, needed to pull the image, has no resource-level permissions: AWS requires Resource *.",
    });

    this.jobDefinition = new batch.EcsJobDefinition(this, "Definition", {
      container,
      timeout: props.timeout ?? Duration.hours(8),
      retryAttempts: props.attempts ?? 3,
      retryStrategies: [
        // "Host EC2 (instance i-…) terminated.": a Spot reclaim or a failed instance.
        batch.RetryStrategy.of(
          batch.Action.RETRY,
          batch.Reason.custom({ onStatusReason: "Host EC2*" }),
        ),
        // Batch retries whatever no strategy matches, so everything else must say EXIT.
        batch.RetryStrategy.of(batch.Action.EXIT, batch.Reason.custom({ onReason: "*" })),
      ],
    });
  }
}
