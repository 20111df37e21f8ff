import { Validations } from "aws-cdk-lib";
import type { App } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { ChromosegStack } from "./chromoseg-stack.js";
import { settingsFromContext } from "./context.js";

/**
 * Adds the chromoseg stack, configured from `app`'s context, and cdk-nag's AwsSolutions checks:
 * an unsuppressed finding of level error fails `cdk synth` and `cdk deploy`.
 */
export function addChromoseg(app: App): ChromosegStack {
  const { stackName, props } = settingsFromContext(app.node);
  const stack = new ChromosegStack(app, stackName, props);
  // writeSuppressionsToCloudFormation: each acknowledged finding and its reason also goes into
  // the template's resource Metadata (cdk_nag), an audit trail in the deployed stack.
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true }),
  );
  return stack;
}
