/** What ChromosegStack promises, with the default settings (issue 4/6, section 1). */
import { describe, expect, it } from "vitest";
import { STACK_OUTPUTS } from "../../infra/chromoseg-stack.js";
import { SEGMENT_ENVIRONMENT } from "../../src/pipeline/segment-environment.js";
import {
  TRIGGER_SUFFIXES,
  UPLOADS_PREFIX,
  isImageName,
  triggersSegmentation,
} from "../../src/pipeline/bucket-layout.js";
import { MODEL_POINTER_KEY } from "../../src/pipeline/model-pointer.js";
import { TRAINING_ENVIRONMENT } from "../../src/pipeline/training-environment.js";
import { synthesize } from "./synth.js";
import {
  actions,
  objectPattern,
  resource,
  resources,
  resourcesOf,
  roleStatements,
} from "./template.js";
import type { Resource, Statement } from "./template.js";

const { template } = synthesize();
const [bucketId, bucket] = resource(template, "AWS::S3::Bucket", "DataBucket");
const [logBucketId, logBucket] = resource(template, "AWS::S3::Bucket", "DataLogs");
const [functionId, segmentFunction] = resource(
  template,
  "AWS::Lambda::Function",
  "SegmentFunction",
);
const [queueId] = resource(template, "AWS::SQS::Queue", "SegmentFailures");
const [jobDefinitionId, jobDefinition] = resource(
  template,
  "AWS::Batch::JobDefinition",
  "Training",
);
const [jobQueueId, jobQueue] = resource(template, "AWS::Batch::JobQueue", "Training");
const [computeId, compute] = resource(template, "AWS::Batch::ComputeEnvironment", "Training");
const ref = (id: string) => ({ Ref: id });
const arnOf = (id: string) => ({ "Fn::GetAtt": [id, "Arn"] });
/** The logical ID behind `{ "Fn::GetAtt": [id, "Arn"] }`. */
const roleIdOf = (value: unknown) => (value as { "Fn::GetAtt": [string, string] })["Fn::GetAtt"][0];

/** Each statement as "actions on key patterns" of the data bucket, or as it is. */
function describeStatements(statements: Statement[]): string[] {
  return statements.map((statement) => {
    const patterns = resources(statement).map(
      (arn) => objectPattern(arn, bucketId) ?? JSON.stringify(arn),
    );
    return `${actions(statement).join(",")} on ${patterns.join(",")}`;
  });
}

describe("bucket", () => {
  it("blocks all public access, on the bucket and on its log bucket", () => {
    for (const { Properties } of [bucket, logBucket]) {
      expect(Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
    }
  });

  it("denies every request not made over TLS, on both buckets", () => {
    for (const id of [bucketId, logBucketId]) {
      const policies = resourcesOf(template, "AWS::S3::BucketPolicy").filter(
        ([, policy]) => JSON.stringify(policy.Properties.Bucket) === JSON.stringify(ref(id)),
      );
      expect(policies.length).toBe(1);
      const [[, policy]] = policies;
      const statements = (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
      expect(statements).toContainEqual({
        Effect: "Deny",
        Principal: { AWS: "*" },
        Action: "s3:*",
        Condition: { Bool: { "aws:SecureTransport": "false" } },
        Resource: [arnOf(id), { "Fn::Join": ["", [arnOf(id), "/*"]] }],
      });
    }
  });

  it("is encrypted with S3-managed keys, versioned, logs access, expires results/ after 30 days", () => {
    expect(bucket.Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        { ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } },
      ],
    });
    expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: "Enabled" });
    expect(bucket.Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: ref(logBucketId),
      LogFilePrefix: "access-logs/",
    });
    expect((bucket.Properties.LifecycleConfiguration as { Rules: unknown[] }).Rules).toContainEqual(
      {
        Prefix: "results/",
        ExpirationInDays: 30,
        Status: "Enabled",
      },
    );
  });

  it("is kept, with its logs, when the stack is deleted", () => {
    expect(bucket.DeletionPolicy).toBe("Retain");
    expect(logBucket.DeletionPolicy).toBe("Retain");
  });
});

describe("segment function", () => {
  it("runs the container image on x86_64 with 2048 MB for up to 60 s, unreserved", () => {
    expect(segmentFunction.Properties).toMatchObject({
      PackageType: "Image",
      Architectures: ["x86_64"],
      MemorySize: 2048,
      Timeout: 60,
    });
    expect(segmentFunction.Properties.ReservedConcurrentExecutions).toBeUndefined();
  });

  it("gets the bucket and the model pointer through the environment contract", () => {
    expect(segmentFunction.Properties.Environment).toEqual({
      Variables: {
        [SEGMENT_ENVIRONMENT.bucket]: ref(bucketId),
        [SEGMENT_ENVIRONMENT.modelPointerKey]: MODEL_POINTER_KEY,
      },
    });
  });

  const configurations = Object.values(template.findResources("Custom::S3BucketNotifications"))
    .flatMap(
      (notifications) =>
        (notifications as Resource).Properties.NotificationConfiguration as {
          LambdaFunctionConfigurations: {
            Events: string[];
            LambdaFunctionArn: unknown;
            Filter: { Key: { FilterRules: { Name: string; Value: string }[] } };
          }[];
        },
    )
    .flatMap((configuration) => configuration.LambdaFunctionConfigurations);
  const filters = configurations.map((configuration) =>
    Object.fromEntries(configuration.Filter.Key.FilterRules.map((rule) => [rule.Name, rule.Value])),
  );

  it("is triggered by ObjectCreated under uploads/, once per image suffix in lower and upper case", () => {
    expect(configurations.length).toBe(TRIGGER_SUFFIXES.length);
    for (const configuration of configurations) {
      expect(configuration.Events).toEqual(["s3:ObjectCreated:*"]);
      expect(configuration.LambdaFunctionArn).toEqual(arnOf(functionId));
    }
    expect(filters.map((filter) => filter.prefix)).toEqual(
      TRIGGER_SUFFIXES.map(() => UPLOADS_PREFIX),
    );
    expect(filters.map((filter) => filter.suffix).sort()).toEqual(
      [".png", ".PNG", ".tif", ".TIF", ".tiff", ".TIFF", ".jpg", ".JPG", ".jpeg", ".JPEG"].sort(),
    );
  });

  it("fires as S3 matches its case-sensitive filters: upper case yes, mixed case no, results/ never", () => {
    // S3's rule: a key matches a configuration when it starts with its prefix and ends with its suffix.
    const s3Fires = (key: string) =>
      filters.some((filter) => key.startsWith(filter.prefix) && key.endsWith(filter.suffix));
    const cases: [string, boolean][] = [
      ["uploads/slide.png", true],
      ["uploads/SLIDE.PNG", true],
      ["uploads/lab/2024/m1.tiff", true],
      ["uploads/m1.TIF", true],
      ["uploads/photo.JPEG", true],
      ["uploads/m1.Tif", false],
      ["uploads/notes.txt", false],
      ["uploads/png", false],
      ["results/slide.png", false],
      ["results/uploads/slide.png", false],
      ["models/latest.json", false],
      ["slide.png", false],
    ];
    for (const [key, fires] of cases) {
      expect(s3Fires(key), key).toBe(fires);
      // The shared module says the same, and the handler accepts every image S3 lets through.
      expect(triggersSegmentation(key), key).toBe(fires);
      if (fires) expect(isImageName(key), key).toBe(true);
    }
  });

  it("retries an asynchronous invocation twice, then sends it to the failure queue", () => {
    const [, invokeConfig] = resource(
      template,
      "AWS::Lambda::EventInvokeConfig",
      "SegmentFunction",
    );
    expect(invokeConfig.Properties).toMatchObject({
      FunctionName: ref(functionId),
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: arnOf(queueId) } },
    });
  });

  it("alarms on the failure queue's depth and on the function's errors", () => {
    const alarms = resourcesOf(template, "AWS::CloudWatch::Alarm").map(
      ([, alarm]) => alarm.Properties,
    );
    expect(alarms).toContainEqual(
      expect.objectContaining({
        Namespace: "AWS/SQS",
        MetricName: "ApproximateNumberOfMessagesVisible",
        Dimensions: [{ Name: "QueueName", Value: { "Fn::GetAtt": [queueId, "QueueName"] } }],
        Threshold: 1,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
      }),
    );
    expect(alarms).toContainEqual(
      expect.objectContaining({
        Namespace: "AWS/Lambda",
        MetricName: "Errors",
        Dimensions: [{ Name: "FunctionName", Value: ref(functionId) }],
        Threshold: 1,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
      }),
    );
  });

  const functionRole = roleIdOf(segmentFunction.Properties.Role);
  const statements = roleStatements(template, functionRole);

  it("may read uploads/* and models/*, write and delete results/*, and nothing else in the bucket", () => {
    const [logGroupId] = resource(template, "AWS::Logs::LogGroup", "SegmentLogs");
    expect(describeStatements(statements).sort()).toEqual(
      [
        `logs:CreateLogStream,logs:PutLogEvents on ${JSON.stringify(arnOf(logGroupId))}`,
        `sqs:GetQueueAttributes,sqs:GetQueueUrl,sqs:SendMessage on ${JSON.stringify(arnOf(queueId))}`,
        "s3:GetObject on models/*,uploads/*",
        "s3:DeleteObject,s3:PutObject on results/*",
      ].sort(),
    );
    const [, role] = resource(template, "AWS::IAM::Role", functionRole);
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it("may delete under results/* only, and no object version (old results stay recoverable)", () => {
    const deletes = statements.filter((statement) =>
      actions(statement).some((action) => /^s3:(Delete|\*)/.test(action)),
    );
    expect(deletes.flatMap(actions).filter((action) => action.startsWith("s3:Delete"))).toEqual([
      "s3:DeleteObject",
    ]);
    expect(deletes.flatMap(resources).map((arn) => objectPattern(arn, bucketId))).toEqual([
      "results/*",
    ]);
  });

  it("has no permission to write outside results/", () => {
    for (const statement of statements) {
      const writes = actions(statement).filter(
        (action) => action.startsWith("s3:") && !/^s3:(Get|List)/.test(action),
      );
      if (!writes.length) continue;
      for (const arn of resources(statement))
        expect(objectPattern(arn, bucketId)).toBe("results/*");
    }
  });
});

describe("training", () => {
  /** The one security group of the compute environment's instances. */
  function instanceSecurityGroup(): Resource {
    const ids = (compute.Properties.ComputeResources as { SecurityGroupIds: unknown[] })
      .SecurityGroupIds;
    expect(ids).toHaveLength(1);
    const [id] = (ids[0] as { "Fn::GetAtt": [string, string] })["Fn::GetAtt"];
    return resource(template, "AWS::EC2::SecurityGroup", id)[1];
  }

  it("has a VPC without NAT gateways: public subnets with public IPs, a free S3 endpoint, flow logs", () => {
    template.resourceCountIs("AWS::EC2::NatGateway", 0);
    const subnets = resourcesOf(template, "AWS::EC2::Subnet");
    expect(subnets.length).toBe(2);
    for (const [, subnet] of subnets) expect(subnet.Properties.MapPublicIpOnLaunch).toBe(true);
    template.hasResourceProperties("AWS::EC2::VPCEndpoint", { VpcEndpointType: "Gateway" });
    template.resourceCountIs("AWS::EC2::VPCEndpoint", 1);
    template.hasResourceProperties("AWS::EC2::FlowLog", {
      LogDestinationType: "s3",
      LogDestination: { "Fn::Join": ["", [arnOf(logBucketId), "/vpc-flow-logs/"]] },
    });
    expect(instanceSecurityGroup().Properties.SecurityGroupIngress).toBeUndefined();
  });

  it("lets the instances out over HTTPS only: ECR, ECS, Batch, Logs and S3 (its gateway endpoint)", () => {
    const securityGroup = instanceSecurityGroup();
    const egress = securityGroup.Properties.SecurityGroupEgress as Record<string, unknown>[];
    const separate = resourcesOf(template, "AWS::EC2::SecurityGroupEgress");
    expect(separate).toEqual([]);
    expect(egress.length).toBeGreaterThan(0);
    for (const rule of egress)
      expect(rule).toMatchObject({ IpProtocol: "tcp", FromPort: 443, ToPort: 443 });
  });

  it("launches on-demand g4dn.xlarge on the ECS GPU AMI, from 0 vCPUs (nothing while idle)", () => {
    expect(compute.Properties).toMatchObject({
      Type: "managed",
      ComputeResources: {
        Type: "EC2",
        MinvCpus: 0,
        MaxvCpus: 4,
        InstanceTypes: ["g4dn.xlarge"],
        Ec2Configuration: [{ ImageType: "ECS_AL2_NVIDIA" }],
      },
    });
    expect(jobQueue.Properties.ComputeEnvironmentOrder).toEqual([
      { ComputeEnvironment: { "Fn::GetAtt": [computeId, "ComputeEnvironmentArn"] }, Order: 1 },
    ]);
  });

  it("runs one GPU job that fits the instance, for up to 8 hours, retried only when its host goes", () => {
    const container = jobDefinition.Properties.ContainerProperties as Record<string, unknown>;
    expect(container.ResourceRequirements).toEqual(
      expect.arrayContaining([
        { Type: "GPU", Value: "1" },
        { Type: "VCPU", Value: "4" },
        { Type: "MEMORY", Value: "14336" },
      ]),
    );
    expect(jobDefinition.Properties.Timeout).toEqual({ AttemptDurationSeconds: 8 * 3600 });
    expect(jobDefinition.Properties.RetryStrategy).toEqual({
      Attempts: 3,
      EvaluateOnExit: [
        { Action: "RETRY", OnStatusReason: "Host EC2*" },
        { Action: "EXIT", OnReason: "*" },
      ],
    });
  });

  it("logs to CloudWatch, kept 30 days", () => {
    const container = jobDefinition.Properties.ContainerProperties as {
      LogConfiguration: { LogDriver: string; Options: Record<string, unknown> };
    };
    expect(container.LogConfiguration.LogDriver).toBe("awslogs");
    const [logGroupId, logGroup] = resource(template, "AWS::Logs::LogGroup", "TrainingLogs");
    expect(container.LogConfiguration.Options["awslogs-group"]).toEqual(ref(logGroupId));
    expect(logGroup.Properties.RetentionInDays).toBe(30);
  });

  it("gets its settings through the environment contract", () => {
    const container = jobDefinition.Properties.ContainerProperties as {
      Environment: { Name: string; Value: unknown }[];
    };
    expect(Object.fromEntries(container.Environment.map((e) => [e.Name, e.Value]))).toEqual({
      [TRAINING_ENVIRONMENT.bucket]: ref(bucketId),
      [TRAINING_ENVIRONMENT.datasetKey]: "datasets/training.h5",
      [TRAINING_ENVIRONMENT.modelPrefix]: "models/",
      [TRAINING_ENVIRONMENT.preset]: "seed",
      [TRAINING_ENVIRONMENT.epochs]: "100",
      [TRAINING_ENVIRONMENT.patience]: "3",
    });
  });

  it("may read datasets/* and models/*, write models/*, and nothing else", () => {
    const container = jobDefinition.Properties.ContainerProperties as { JobRoleArn: unknown };
    const jobRole = roleIdOf(container.JobRoleArn);
    expect(describeStatements(roleStatements(template, jobRole)).sort()).toEqual(
      ["s3:GetObject on datasets/*,models/*", "s3:PutObject on models/*"].sort(),
    );
  });

  it("is submitted weekly by an EventBridge rule", () => {
    const [, rule] = resource(template, "AWS::Events::Rule", "TriggersSchedule");
    expect(rule.Properties).toMatchObject({
      ScheduleExpression: "cron(0 3 ? * SUN *)",
      State: "ENABLED",
      Targets: [
        {
          Arn: { "Fn::GetAtt": [jobQueueId, "JobQueueArn"] },
          BatchParameters: { JobDefinition: ref(jobDefinitionId) },
        },
      ],
    });
    template.resourceCountIs("AWS::Events::Rule", 1);
  });
});

describe("IAM", () => {
  const statements = resourcesOf(template, "AWS::IAM::Role").flatMap(([id]) =>
    roleStatements(template, id),
  );

  it("grants `*` resources only where AWS has no narrower scope (ecr:GetAuthorizationToken)", () => {
    const unscoped = statements.filter((statement) => resources(statement).includes("*"));
    expect(unscoped.flatMap(actions)).toEqual(["ecr:GetAuthorizationToken"]);
  });

  it("scopes every bucket object permission to a prefix, never the whole bucket", () => {
    const patterns = statements
      .flatMap(resources)
      .map((arn) => objectPattern(arn, bucketId))
      .filter((pattern) => pattern !== undefined);
    expect(new Set(patterns)).toEqual(
      new Set(["uploads/*", "models/*", "results/*", "datasets/*"]),
    );
  });
});

it("outputs what submit-training needs", () => {
  const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
  expect(outputs).toEqual({
    [STACK_OUTPUTS.bucketName]: { Value: ref(bucketId) },
    [STACK_OUTPUTS.functionName]: { Value: ref(functionId) },
    [STACK_OUTPUTS.jobQueueArn]: { Value: { "Fn::GetAtt": [jobQueueId, "JobQueueArn"] } },
    [STACK_OUTPUTS.jobDefinitionArn]: { Value: ref(jobDefinitionId) },
  });
});
