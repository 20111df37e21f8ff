/**
 * The stack's settings from CDK context: `-c key=value` on the command line (always strings) or the
 * "context" of cdk.json (any JSON type). docs/aws.md lists them.
 */
import { Duration, RemovalPolicy } from "aws-cdk-lib";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as events from "aws-cdk-lib/aws-events";
import * as logs from "aws-cdk-lib/aws-logs";
import type { Node } from "constructs";
import type { PresetName } from "../src/model/config.js";
import { DEFAULT_STACK_NAME } from "../src/pipeline/stack-outputs.js";
import type { ChromosegStackProps } from "./chromoseg-stack.js";

export interface ChromosegSettings {
  stackName: string;
  props: ChromosegStackProps;
}

export function settingsFromContext(node: Node): ChromosegSettings {
  const context = new ContextReader(node);
  const account = context.string("account");
  const region = context.string("region");
  const logRetention = context.logRetention("logRetentionDays");
  const schedule = context.string("trainingSchedule");
  return {
    stackName: context.string("stackName") ?? DEFAULT_STACK_NAME,
    props: {
      // Without account and region the stack is environment-agnostic: `cdk synth` needs no AWS
      // credentials, and `cdk deploy` uses the profile's account and region.
      env: account || region ? { account, region } : undefined,
      kmsEncryption: context.boolean("kms"),
      retrainOnNewDataset: context.boolean("retrainOnNewDataset"),
      bucket: {
        resultsExpiration: context.duration("resultsExpiryDays", Duration.days),
        removalPolicy:
          context.boolean("retainBucket") === false ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
      },
      segment: {
        memorySize: context.integer("segmentMemoryMb"),
        timeout: context.duration("segmentTimeoutSeconds", Duration.seconds),
        reservedConcurrentExecutions: context.integer("reservedConcurrency"),
        logRetention,
      },
      training: {
        instanceTypes: context.list("instanceTypes")?.map((name) => new ec2.InstanceType(name)),
        spot: context.boolean("spot"),
        maxvCpus: context.integer("maxVcpus"),
        datasetKey: context.string("datasetKey"),
        // Checked with the rest of the job's settings when the stack is built (TrainingJob).
        preset: context.string("preset") as PresetName | undefined,
        epochs: context.integer("epochs"),
        patience: context.integer("patience"),
        logRetention,
      },
      triggers: {
        schedule: schedule && schedule !== "off" ? events.Schedule.expression(schedule) : undefined,
        scheduleEnabled: schedule !== "off",
      },
    },
  };
}

class ContextReader {
  constructor(private readonly node: Node) {}

  string(key: string): string | undefined {
    const value: unknown = this.node.tryGetContext(key);
    if (value === undefined || value === "") return undefined;
    if (typeof value !== "string") this.fail(key, "a string", value);
    return value as string;
  }

  integer(key: string): number | undefined {
    const value: unknown = this.node.tryGetContext(key);
    if (value === undefined || value === "") return undefined;
    const number = typeof value === "string" && /^[0-9]+$/.test(value) ? Number(value) : value;
    if (!Number.isSafeInteger(number) || (number as number) < 0) {
      this.fail(key, "a whole number", value);
    }
    return number as number;
  }

  boolean(key: string): boolean | undefined {
    const value: unknown = this.node.tryGetContext(key);
    if (value === undefined || value === "") return undefined;
    if (value === true || value === "true") return true;
    if (value === false || value === "false") return false;
    return this.fail(key, "true or false", value);
  }

  duration(key: string, unit: (amount: number) => Duration): Duration | undefined {
    const amount = this.integer(key);
    return amount === undefined ? undefined : unit(amount);
  }

  /** A JSON array of strings, or one comma-separated string. */
  list(key: string): string[] | undefined {
    const value: unknown = this.node.tryGetContext(key);
    if (value === undefined || value === "") return undefined;
    const items = typeof value === "string" ? value.split(",").map((item) => item.trim()) : value;
    if (!Array.isArray(items) || !items.every((item) => typeof item === "string" && item)) {
      this.fail(key, "a comma-separated list", value);
    }
    return items as string[];
  }

  logRetention(key: string): logs.RetentionDays | undefined {
    const days = this.integer(key);
    if (days === undefined) return undefined;
    const allowed = Object.values(logs.RetentionDays).filter(
      (value): value is number => typeof value === "number",
    );
    if (!allowed.includes(days)) this.fail(key, `one of ${allowed.join(", ")}`, days);
    return days as logs.RetentionDays;
  }

  private fail(key: string, expected: string, value: unknown): never {
    throw new Error(`context ${key}: expected ${expected}, got ${JSON.stringify(value)}`);
  }
}
