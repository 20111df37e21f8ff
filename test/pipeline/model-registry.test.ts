import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { ModelRegistry } from "../../src/pipeline/model-registry.js";
import { LITE_MODEL } from "../helpers.js";
import { localS3 } from "../s3.js";

const s3 = localS3();
const run = promisify(execFile);
const BIN = fileURLToPath(new URL("../../bin/chromoseg.js", import.meta.url));

describe("model registry", () => {
  it("publishes versions behind a quality gate, lists them, and rolls back", async () => {
    const registry = new ModelRegistry(s3.client, s3.bucket);
    const model = readFileSync(LITE_MODEL);
    await registry.upload("v1", { "model.onnx": model }, 0.8);
    expect(await registry.promote("v1")).toEqual({
      promoted: true,
      reason: "the first version published",
    });

    await registry.upload("v2", { "model.onnx": model }, 0.7);
    const gated = await registry.promote("v2");
    expect(gated.promoted).toBe(false);
    expect(gated.reason).toBe(
      "test mean IoU 70.00 % is below the current v1's 80.00 % by more than 0.50 %",
    );
    expect(await registry.currentVersion()).toBe("v1");

    expect(await registry.promote("v2", { force: true })).toMatchObject({ promoted: true });
    const listed = await registry.list();
    expect(listed.map((v) => [v.version, v.current])).toEqual([
      ["v1", false],
      ["v2", true],
    ]);
    expect(await registry.promote("v1")).toEqual({ promoted: true, reason: "replaces v2" });
    await expect(registry.promote("v9")).rejects.toThrow(/no model version v9/);

    // the same through the command line, as against any bucket
    const env = {
      ...process.env,
      AWS_ACCESS_KEY_ID: "S3RVER",
      AWS_SECRET_ACCESS_KEY: "S3RVER",
      AWS_REGION: "us-east-1",
    };
    const where = ["--bucket", s3.bucket, "--endpoint-url", s3.endpoint];
    const { stdout } = await run(process.execPath, [BIN, "models", "list", ...where], { env });
    expect(stdout).toMatch(/^\*\s+v1\s+80\.00 %/m);
    const refused = await run(process.execPath, [BIN, "models", "promote", "v2", ...where], {
      env,
    }).catch((e: { code: number; stderr: string }) => e);
    expect(refused).toMatchObject({ code: 1 });
    expect((refused as { stderr: string }).stderr).toMatch(
      /v2 not promoted: test mean IoU 70\.00 %/,
    );
  });
});
