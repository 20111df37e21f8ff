/** Synthesises the CDK app in-process, as `npx cdk synth` does, for the infra tests. */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import type { CloudAssembly } from "aws-cdk-lib/cx-api";
import { afterAll } from "vitest";
import { addChromoseg } from "../../infra/chromoseg-app.js";
import type { ChromosegStack } from "../../infra/chromoseg-stack.js";

export interface Synthesized {
  app: App;
  stack: ChromosegStack;
  assembly: CloudAssembly;
  template: Template;
  /** The cloud assembly folder (the test's cdk.out), removed after the test file. */
  outdir: string;
}

const outdirs: string[] = [];
afterAll(() => {
  for (const outdir of outdirs) rmSync(outdir, { recursive: true, force: true });
});

/**
 * The app with cdk.json's context (feature flags) plus `context`, cdk-nag included: synthesis
 * throws if cdk-nag finds an unacknowledged error, as `cdk synth` fails.
 */
export function synthesize(context: Record<string, unknown> = {}): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), "chromoseg-cdk-"));
  outdirs.push(outdir);
  const cdkJson = JSON.parse(
    readFileSync(fileURLToPath(new URL("../../cdk.json", import.meta.url)), "utf8"),
  ) as { context: Record<string, unknown> };
  const app = new App({ outdir, context: { ...cdkJson.context, ...context } });
  const stack = addChromoseg(app);
  const assembly = app.synth();
  const template = Template.fromJSON(
    assembly.getStackArtifact(stack.artifactId).template as Record<string, unknown>,
  );
  return { app, stack, assembly, template, outdir };
}
