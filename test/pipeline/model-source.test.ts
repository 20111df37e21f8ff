import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DeleteObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { ModelSource } from "../../src/pipeline/model-source.js";
import type { ModelPointer } from "../../src/pipeline/model-pointer.js";
import { LITE_MODEL, temporaryFolder } from "../helpers.js";
import { localS3 } from "../s3.js";

const s3 = localS3();
const cacheDir = temporaryFolder();
const POINTER = "models/latest.json";
const FALLBACK = join(import.meta.dirname, "..", "..", "models", "default.onnx");

async function put(key: string, body: string | Uint8Array): Promise<void> {
  await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: body }));
}

async function publish(version: string, bytes: Uint8Array, sha256?: string): Promise<void> {
  const key = `models/${version}/model.onnx`;
  await put(key, bytes);
  const pointer: ModelPointer = {
    version,
    key,
    sha256: sha256 ?? createHash("sha256").update(bytes).digest("hex"),
  };
  await put(POINTER, JSON.stringify(pointer));
}

/** A source on the test bucket whose time is `clock.ms`, re-reading the pointer every 60 s. */
function sourceOn(
  clock: { ms: number },
  onBrokenPointer?: (problem: string) => void,
  client: S3Client = s3.client,
): ModelSource {
  return new ModelSource({
    s3: client,
    bucket: s3.bucket,
    pointerKey: POINTER,
    fallbackPath: FALLBACK,
    cacheDir,
    recheckSeconds: 60,
    threads: 1,
    now: () => clock.ms,
    onBrokenPointer,
  });
}

describe("model source", () => {
  it("uses the baked-in model without a pointer, then the published one once the pointer is re-read", async () => {
    const clock = { ms: 0 };
    const source = sourceOn(clock);
    const first = await source.get();
    expect(first.version).toBe("fallback");

    const lite = readFileSync(LITE_MODEL);
    await publish("v1", lite);
    clock.ms += 30_000;
    expect((await source.get()).version).toBe("fallback"); // within the recheck interval
    clock.ms += 31_000;
    const published = await source.get();
    expect(published.version).toBe("v1");
    expect(published.model.sha256).toBe(createHash("sha256").update(lite).digest("hex"));

    clock.ms += 61_000;
    expect(await source.get()).toBe(published); // pointer unchanged (same ETag): same session

    await s3.client.send(new DeleteObjectCommand({ Bucket: s3.bucket, Key: POINTER }));
    clock.ms += 61_000;
    expect((await source.get()).version).toBe("fallback");
    await source.release();
  });

  it("falls back to the baked-in model, with a warning, for a download whose sha256 is not the pointer's or that does not load", async () => {
    const clock = { ms: 0 };
    const warnings: string[] = [];
    const source = sourceOn(clock, (problem) => warnings.push(problem));
    await publish("v2", readFileSync(LITE_MODEL));
    expect((await source.get()).version).toBe("v2");
    await publish("v3", readFileSync(FALLBACK), "0".repeat(64));
    clock.ms += 61_000;
    expect((await source.get()).version).toBe("fallback");
    await publish("v4", new TextEncoder().encode("not onnx"));
    clock.ms += 61_000;
    expect((await source.get()).version).toBe("fallback");
    expect(warnings).toEqual([
      expect.stringMatching(
        /names models\/v3\/model.onnx \(version v3\), whose sha256 is \w+, not the pointer's 0{64}$/,
      ),
      expect.stringMatching(
        /names models\/v4\/model.onnx \(version v4\), which is not a usable model \(.+\)$/,
      ),
    ]);
    await source.release();
  });
});

describe("model source with a broken pointer", () => {
  it("falls back to the baked-in model, warning once per pointer version, for bad JSON, missing fields and a missing model", async () => {
    const clock = { ms: 0 };
    const warnings: string[] = [];
    const source = sourceOn(clock, (problem) => warnings.push(problem));
    await publish("good", readFileSync(LITE_MODEL));
    expect((await source.get()).version).toBe("good");

    await put(POINTER, "{ not json");
    clock.ms += 61_000;
    expect((await source.get()).version).toBe("fallback");
    clock.ms += 61_000;
    const fallback = await source.get(); // the same pointer: no second warning
    expect(fallback).toMatchObject({
      version: "fallback",
      pointerProblem: `${POINTER} is not JSON`,
    });
    expect(warnings).toEqual([`${POINTER} is not JSON`]);

    await put(POINTER, JSON.stringify({ version: "v9", key: "models/v9/model.onnx" }));
    clock.ms += 61_000;
    expect((await source.get()).version).toBe("fallback");
    const missingModel: ModelPointer = {
      version: "v10",
      key: "models/v10/model.onnx",
      sha256: "1".repeat(64),
    };
    await put(POINTER, JSON.stringify(missingModel));
    clock.ms += 61_000;
    expect((await source.get()).version).toBe("fallback");
    clock.ms += 61_000;
    expect((await source.get()).version).toBe("fallback");
    expect(warnings.slice(1)).toEqual([
      `${POINTER} has no sha256`,
      `${POINTER} names models/v10/model.onnx (version v10), which is not in the bucket`,
    ]);

    await publish("mended", readFileSync(LITE_MODEL));
    clock.ms += 61_000;
    const mended = await source.get();
    expect(mended.version).toBe("mended");
    expect(mended.pointerProblem).toBeUndefined();
    await source.release();
  });

  it("still throws when S3 cannot be reached, for the caller to retry", async () => {
    const unreachable = new S3Client({
      endpoint: "http://127.0.0.1:9", // the discard port: nothing listens
      forcePathStyle: true,
      region: "us-east-1",
      credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
      maxAttempts: 1,
    });
    const warnings: string[] = [];
    const source = sourceOn({ ms: 0 }, (problem) => warnings.push(problem), unreachable);
    await expect(source.get()).rejects.toThrow(/ECONNREFUSED/);
    expect(warnings).toEqual([]);
    unreachable.destroy();
  });
});
