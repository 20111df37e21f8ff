import { readFileSync } from "node:fs";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { DAPI_CROP } from "../helpers.js";
import { LAMBDA_CONTEXT, loadSegmentHandler, localS3, uploadEvent } from "../s3.js";
import type { TestHandler } from "../s3.js";

const s3 = localS3();
let handler: TestHandler;

beforeAll(async () => {
  handler = await loadSegmentHandler(s3, {
    POWERTOOLS_METRICS_DISABLED: "false",
    POWERTOOLS_LOG_LEVEL: "WARN",
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** The JSON lines (logs, metrics) printed while `run` runs. */
async function printedBy(run: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const printed: string[] = [];
  for (const stream of [process.stdout, process.stderr])
    vi.spyOn(stream, "write").mockImplementation((chunk) => {
      printed.push(String(chunk));
      return true;
    });
  try {
    await run();
  } finally {
    vi.restoreAllMocks();
  }
  return printed
    .join("")
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Handles an upload of `body` under `key`: its outcomes and the lines printed meanwhile. */
async function handle(key: string, body: string | Uint8Array, size = Buffer.byteLength(body)) {
  await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: body }));
  let outcomes: Awaited<ReturnType<TestHandler>> = [];
  const lines = await printedBy(async () => {
    outcomes = await handler(uploadEvent(s3, { key, size }), LAMBDA_CONTEXT);
  });
  return { outcomes, lines };
}

describe("segment function handler, refusals", () => {
  it("counts a refusal under the kind its outcome carries, not under words in its reason", async () => {
    // the key says "too large", the image is unreadable
    const { outcomes, lines } = await handle("uploads/too large.png", "not a png");
    expect(outcomes).toMatchObject([{ status: "refused", kind: "unreadable" }]);
    const metric = lines.find((line) => "ImagesRefused" in line);
    expect(metric).toMatchObject({ reason: "unreadable", ImagesRefused: 1 });
  });

  it("counts an upload over the size limit as too large", async () => {
    const body = readFileSync(DAPI_CROP);
    const { outcomes, lines } = await handle("uploads/huge.tif", body, 300 * 1024 * 1024);
    expect(outcomes).toMatchObject([{ status: "refused", kind: "too-large" }]);
    expect(lines.find((line) => "ImagesRefused" in line)).toMatchObject({ reason: "too-large" });
  });

  it("publishes the metrics and drops the upload's log key when S3 fails, for the next invocation", async () => {
    const failed = await printedBy(() =>
      expect(
        handler(uploadEvent(s3, { key: "uploads/missing.png", size: 10 }), LAMBDA_CONTEXT),
      ).rejects.toThrow(),
    );
    expect(failed.find((line) => line.level === "ERROR")).toMatchObject({
      key: "uploads/missing.png",
    });
    expect(failed.find((line) => "UploadsFailed" in line)).toMatchObject({ UploadsFailed: 1 });
    const next = await printedBy(() => handler(uploadEvent(s3), LAMBDA_CONTEXT));
    const logs = next.filter((line) => "level" in line);
    expect(logs.length).toBeGreaterThan(0); // "No application metrics to publish"
    for (const line of logs) expect(line).not.toHaveProperty("key");
  });
});
