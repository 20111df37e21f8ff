/**
 * The CDK stack's outputs, by name: infra/ writes them; `submit-training` and docs/aws.md read
 * them.
 */
export const STACK_OUTPUTS = {
  bucketName: "BucketName",
  functionName: "FunctionName",
  jobQueueArn: "JobQueueArn",
  jobDefinitionArn: "JobDefinitionArn",
} as const;

/** The stack's default name (CDK context `stackName` changes it). */
export const DEFAULT_STACK_NAME = "ChromosegStack";
