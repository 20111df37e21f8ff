/** Reading the synthesised template in the infra tests. */
import type { Template } from "aws-cdk-lib/assertions";

export interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
  DeletionPolicy?: string;
  Metadata?: Record<string, unknown>;
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Principal?: unknown;
  Condition?: unknown;
}

/** The template's resources of `type`, by logical ID. */
export function resourcesOf(template: Template, type: string): [string, Resource][] {
  return Object.entries(template.findResources(type) as Record<string, Resource>);
}

/** The one resource of `type` whose logical ID starts with `prefix`. */
export function resource(template: Template, type: string, prefix: string): [string, Resource] {
  const found = resourcesOf(template, type).filter(([id]) => id.startsWith(prefix));
  if (found.length !== 1) throw new Error(`${found.length} ${type} named ${prefix}*`);
  return found[0];
}

export const actions = (statement: Statement): string[] => [statement.Action].flat();
export const resources = (statement: Statement): unknown[] => [statement.Resource].flat();

/** Every statement granted to the role with logical ID `roleId`: attached and inline policies. */
export function roleStatements(template: Template, roleId: string): Statement[] {
  const attached = resourcesOf(template, "AWS::IAM::Policy")
    .filter(([, policy]) =>
      (policy.Properties.Roles as unknown[]).some(
        (role) => JSON.stringify(role) === JSON.stringify({ Ref: roleId }),
      ),
    )
    .flatMap(
      ([, policy]) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
    );
  const [, role] = resource(template, "AWS::IAM::Role", roleId);
  const inline = (
    (role.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]
  ).flatMap((policy) => policy.PolicyDocument.Statement);
  return [...attached, ...inline];
}

/**
 * The object key pattern of an ARN built as `<bucketId>.Arn + "/<pattern>"`, e.g. `uploads/*`;
 * undefined for any other resource.
 */
export function objectPattern(arn: unknown, bucketId: string): string | undefined {
  const join = (arn as { "Fn::Join"?: [string, unknown[]] })["Fn::Join"];
  if (!join || join[0] !== "" || join[1].length !== 2) return undefined;
  const [bucket, path] = join[1];
  if (JSON.stringify(bucket) !== JSON.stringify({ "Fn::GetAtt": [bucketId, "Arn"] }))
    return undefined;
  return typeof path === "string" && path.startsWith("/") ? path.slice(1) : undefined;
}
