/** The model pointer (models/latest.json): its key, the check every reader makes, the writer. */
import { readFileSync } from "node:fs";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { UserError } from "../../src/errors.js";
import {
  MODEL_POINTER_KEY,
  formatModelPointer,
  modelPointerProblem,
  parseModelPointer,
} from "../../src/pipeline/model-pointer.js";
import type { ModelPointer } from "../../src/pipeline/model-pointer.js";
import { ModelRegistry } from "../../src/pipeline/model-registry.js";
import { LITE_MODEL } from "../helpers.js";
import { localS3 } from "../s3.js";

const GOOD: ModelPointer = {
  version: "v1",
  key: "models/v1/model.onnx",
  sha256: "ab".repeat(32),
  metadata: { testMeanIoU: 0.9 },
};

describe("model pointer", () => {
  it("lives under models/", () => {
    expect(MODEL_POINTER_KEY).toBe("models/latest.json");
  });

  it("imports nothing heavy (cdk synth loads it for the key)", () => {
    const source = readFileSync(
      new URL("../../src/pipeline/model-pointer.ts", import.meta.url),
      "utf8",
    );
    const imports = [...source.matchAll(/^import .* from "(.*)";$/gm)].map((match) => match[1]);
    expect(imports).toEqual(["../errors.js", "./bucket-layout.js"]);
  });

  it("reads back what it writes", () => {
    expect(parseModelPointer(formatModelPointer(GOOD))).toEqual(GOOD);
    const bare = { version: GOOD.version, key: GOOD.key, sha256: GOOD.sha256 };
    expect(parseModelPointer(JSON.stringify(bare))).toEqual(bare);
  });

  it.each([
    ["{ not json", "models/latest.json is not JSON"],
    ["null", "models/latest.json is not a JSON object"],
    ["[]", "models/latest.json is not a JSON object"],
    ['"v1"', "models/latest.json is not a JSON object"],
    [JSON.stringify({ ...GOOD, version: "" }), "models/latest.json has no version"],
    [JSON.stringify({ ...GOOD, key: 7 }), "models/latest.json has no key"],
    [JSON.stringify({ version: "v1", key: GOOD.key }), "models/latest.json has no sha256"],
    [
      JSON.stringify({ ...GOOD, key: "uploads/x.onnx" }),
      "models/latest.json names uploads/x.onnx, which is not under models/",
    ],
    [
      JSON.stringify({ ...GOOD, sha256: "AB".repeat(32) }),
      `models/latest.json has a sha256 that is not 64 lower-case hex digits (${"AB".repeat(32)})`,
    ],
    [
      JSON.stringify({ ...GOOD, sha256: "abc" }),
      "models/latest.json has a sha256 that is not 64 lower-case hex digits (abc)",
    ],
    [
      JSON.stringify({ ...GOOD, metadata: [1] }),
      "models/latest.json has metadata that is not a JSON object",
    ],
  ])("refuses %s, saying why", (text, problem) => {
    expect(parseModelPointer(text)).toBe(problem);
  });

  it("names the key it was read from", () => {
    expect(modelPointerProblem({}, "models/other.json")).toBe("models/other.json has no version");
  });

  it("refuses to write a pointer no reader would accept", () => {
    expect(() => formatModelPointer({ ...GOOD, sha256: "" })).toThrow(
      new UserError("not written: models/latest.json has no sha256"),
    );
  });
});

describe("model registry with a broken pointer", () => {
  const s3 = localS3();

  it("lists the versions with none current, refuses to gate against it with a clear error naming the version; --force replaces it", async () => {
    const registry = new ModelRegistry(s3.client, s3.bucket);
    await registry.upload("v1", { "model.onnx": readFileSync(LITE_MODEL) }, 0.8);
    await s3.client.send(
      new PutObjectCommand({
        Bucket: s3.bucket,
        Key: MODEL_POINTER_KEY,
        Body: JSON.stringify({ version: "v0" }),
      }),
    );
    const problem = "models/latest.json has no key";
    await expect(registry.currentVersion()).rejects.toThrow(
      new UserError(`${problem} (chromoseg models promote <version> --force replaces it)`),
    );
    expect((await registry.list()).map((v) => [v.version, v.current])).toEqual([["v1", false]]);
    await expect(registry.promote("v1")).rejects.toThrow(
      new UserError(`${problem} (chromoseg models promote v1 --force replaces it)`),
    );

    expect(await registry.promote("v1", { force: true })).toEqual({
      promoted: true,
      reason: "replaces a broken pointer (models/latest.json has no key)",
    });
    expect(await registry.currentVersion()).toBe("v1");
  });
});
