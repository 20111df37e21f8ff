/** The stack's settings from CDK context (`-c key=value`), as docs/aws.md lists them. */
import { App } from "aws-cdk-lib";
import { describe, expect, it } from "vitest";
import { settingsFromContext } from "../../infra/context.js";
import { synthesize } from "./synth.js";
import { actions, resource, resources, resourcesOf, roleStatements } from "./template.js";

const settings = (context: Record<string, unknown>) =>
  settingsFromContext(new App({ context }).node);

describe("settings from context", () => {
  it("leave every construct default alone when no context is given", () => {
    const { stackName, props } = settings({});
    expect(stackName).toBe("ChromosegStack");
    expect(props.env).toBeUndefined();
    expect(props.training?.instanceTypes).toBeUndefined();
    expect(props.triggers).toEqual({ schedule: undefined, scheduleEnabled: true });
  });

  it("read strings from the command line and JSON types from cdk.json alike", () => {
    const fromCli = settings({
      spot: "true",
      epochs: "50",
      instanceTypes: "g4dn.xlarge, g5.xlarge",
    });
    const fromJson = settings({
      spot: true,
      epochs: 50,
      instanceTypes: ["g4dn.xlarge", "g5.xlarge"],
    });
    for (const { props } of [fromCli, fromJson]) {
      expect(props.training?.spot).toBe(true);
      expect(props.training?.epochs).toBe(50);
      expect(props.training?.instanceTypes?.map(String)).toEqual(["g4dn.xlarge", "g5.xlarge"]);
    }
  });

  it("refuse a bad value with a one-line error naming the key", () => {
    expect(() => settings({ epochs: "ten" })).toThrow(
      'context epochs: expected a whole number, got "ten"',
    );
    expect(() => settings({ spot: "yes" })).toThrow(
      'context spot: expected true or false, got "yes"',
    );
    expect(() => settings({ logRetentionDays: 10 })).toThrow(
      /^context logRetentionDays: expected one of 1, 3, 5, 7, 14, /,
    );
  });
});

describe("every option on", () => {
  const { template } = synthesize({
    kms: "true",
    spot: "true",
    instanceTypes: "g4dn.xlarge,g4dn.2xlarge",
    reservedConcurrency: "5",
    resultsExpiryDays: "7",
    retainBucket: "false",
    trainingSchedule: "off",
    retrainOnNewDataset: "true",
    datasetKey: "datasets/lab.h5",
    preset: "lite",
  });
  const [bucketId, bucket] = resource(template, "AWS::S3::Bucket", "DataBucket");
  const [keyId] = resource(template, "AWS::KMS::Key", "Key");

  it("encrypts with a rotated KMS key that the readers and writers may use, and nothing else", () => {
    template.hasResourceProperties("AWS::KMS::Key", { EnableKeyRotation: true });
    expect(bucket.Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        {
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: {
            SSEAlgorithm: "aws:kms",
            KMSMasterKeyID: { "Fn::GetAtt": [keyId, "Arn"] },
          },
        },
      ],
    });
    const [, fn] = resource(template, "AWS::Lambda::Function", "SegmentFunction");
    const role = (fn.Properties.Role as { "Fn::GetAtt": [string] })["Fn::GetAtt"][0];
    const kms = roleStatements(template, role).filter((s) =>
      actions(s).some((a) => a.startsWith("kms:")),
    );
    expect(kms.flatMap(actions).sort()).toEqual(["kms:Decrypt", "kms:GenerateDataKey"]);
    for (const statement of kms)
      expect(resources(statement)).toEqual([{ "Fn::GetAtt": [keyId, "Arn"] }]);
  });

  it("runs on Spot, among the instance types given", () => {
    const [, compute] = resource(template, "AWS::Batch::ComputeEnvironment", "Training");
    expect(compute.Properties.ComputeResources).toMatchObject({
      Type: "SPOT",
      AllocationStrategy: "SPOT_PRICE_CAPACITY_OPTIMIZED",
      InstanceTypes: ["g4dn.xlarge", "g4dn.2xlarge"],
      MinvCpus: 0,
    });
  });

  it("reserves the function's concurrency and expires results/ after 7 days", () => {
    template.hasResourceProperties("AWS::Lambda::Function", { ReservedConcurrentExecutions: 5 });
    expect((bucket.Properties.LifecycleConfiguration as { Rules: unknown[] }).Rules).toContainEqual(
      expect.objectContaining({ Prefix: "results/", ExpirationInDays: 7 }),
    );
  });

  it("deletes the buckets, emptied first, with the stack", () => {
    expect(bucket.DeletionPolicy).toBe("Delete");
    expect(resourcesOf(template, "Custom::S3AutoDeleteObjects").length).toBe(2);
  });

  it("keeps the schedule's rule, disabled, and retrains when the dataset is replaced", () => {
    const [, schedule] = resource(template, "AWS::Events::Rule", "TriggersSchedule");
    expect(schedule.Properties.State).toBe("DISABLED");
    const [, onDataset] = resource(template, "AWS::Events::Rule", "TriggersNewDataset");
    expect(onDataset.Properties).toMatchObject({
      State: "ENABLED",
      EventPattern: {
        source: ["aws.s3"],
        "detail-type": ["Object Created"],
        detail: { bucket: { name: [{ Ref: bucketId }] }, object: { key: ["datasets/lab.h5"] } },
      },
    });
    template.hasResourceProperties("Custom::S3BucketNotifications", {
      NotificationConfiguration: { EventBridgeConfiguration: {} },
    });
  });

  it("passes the training settings to the job", () => {
    template.hasResourceProperties("AWS::Batch::JobDefinition", {
      ContainerProperties: {
        Environment: [
          { Name: "BUCKET_NAME", Value: { Ref: bucketId } },
          { Name: "DATASET_KEY", Value: "datasets/lab.h5" },
          { Name: "MODEL_PREFIX", Value: "models/" },
          { Name: "PRESET", Value: "lite" },
          { Name: "EPOCHS", Value: "100" },
          { Name: "PATIENCE", Value: "3" },
        ],
      },
    });
  });
});

it("fails synthesis on a setting the training container would refuse", () => {
  expect(() => synthesize({ datasetKey: "uploads/lab.h5" })).toThrow(
    "training job environment: DATASET_KEY must be under datasets/ (got uploads/lab.h5)",
  );
  expect(() => synthesize({ preset: "huge" })).toThrow(
    "PRESET must be one of seed, lite (got huge)",
  );
});
