/** cdk-nag's AwsSolutions pack: no finding left unacknowledged, and each acknowledgment says why. */
import { Validations } from "aws-cdk-lib";
import type { IConstruct } from "constructs";
import { AwsSolutionsChecks } from "cdk-nag";
import { describe, expect, it } from "vitest";
import { synthesize } from "./synth.js";
import type { Resource } from "./template.js";

interface Suppression {
  id: string;
  reason: string;
}

/** The findings acknowledged in the stack, each with the reason given, keyed by rule and finding. */
function acknowledgments(root: IConstruct): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const construct of root.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        const rule = id.replace(/^[^:]*::/, "");
        if (rule.startsWith("AwsSolutions-")) found.set(rule, [...(found.get(rule) ?? []), reason]);
      }
    }
  }
  return found;
}

describe.each([
  { settings: "default settings", context: {} },
  {
    settings: "every option on",
    context: {
      kms: true,
      spot: true,
      retainBucket: false,
      retrainOnNewDataset: true,
      trainingSchedule: "off",
      reservedConcurrency: 5,
    },
  },
])("with $settings", ({ context }) => {
  // synthesize() throws, as `cdk synth` fails, on an unacknowledged error.
  const { stack, template } = synthesize(context);

  it("leaves no AwsSolutions finding unacknowledged, error or warning", () => {
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(stack);
    expect(report.violations.map((violation) => violation.ruleName)).toEqual([]);
    expect(report.success).toBe(true);
  });

  it("acknowledges only these findings, each with a reason", () => {
    const acknowledged = acknowledgments(stack);
    for (const [rule, reasons] of acknowledged) {
      for (const reason of reasons) expect(reason.length, rule).toBeGreaterThan(30);
    }
    expect(
      [...acknowledged.keys()].map((rule) => rule.replace(/<\w+\.Arn>/, "<bucket>")).sort(),
    ).toEqual(
      [
        "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
        "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role]",
        "AwsSolutions-IAM5[Resource::*]",
        "AwsSolutions-IAM5[Resource::<bucket>/datasets/*]",
        "AwsSolutions-IAM5[Resource::<bucket>/models/*]",
        "AwsSolutions-IAM5[Resource::<bucket>/results/*]",
        "AwsSolutions-IAM5[Resource::<bucket>/uploads/*]",
        "AwsSolutions-S1",
        "AwsSolutions-SQS3",
      ].sort(),
    );
  });

  it("writes each acknowledgment and its reason into the template (cdk_nag metadata)", () => {
    const written = Object.values(template.toJSON().Resources as Record<string, Resource>)
      .flatMap((resource) => {
        const cdkNag = resource.Metadata?.cdk_nag as
          { rules_to_suppress: Suppression[] } | undefined;
        return cdkNag?.rules_to_suppress ?? [];
      })
      .filter(({ id }) => id.startsWith("AwsSolutions-"));
    expect(new Set(written.map(({ id }) => id))).toEqual(new Set(acknowledgments(stack).keys()));
    for (const { id, reason } of written) expect(reason.length, id).toBeGreaterThan(30);
  });
});
