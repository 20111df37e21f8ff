/**
 * The segment function's handler as Lambda loads it (lambdas/segment/handler.ts), against s3rver.
 * Each describe block has its own bucket and loads the handler module afresh, into its own
 * Powertools settings: the module keeps its logger, metrics, S3 client and model for the life of
 * the container.
 */
import { readFileSync } from "node:fs";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { DAPI_CROP, REPLICA_SAMPLE } from "../helpers.js";
import { LAMBDA_CONTEXT, loadSegmentHandler, localS3, uploadEvent } from "../s3.js";
import type { LocalS3, TestHandler } from "../s3.js";

/** A fresh handler module, loaded into `s3` and `settings` before the block's tests. */
function freshHandler(s3: LocalS3, settings: Record<string, string>): () => TestHandler {
  let handler: TestHandler;
  beforeAll(async () => {
    vi.resetModules();
    handler = await loadSegmentHandler(s3, settings);
  });
  return () => handler;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("segment function handler", () => {
  const s3 = localS3();
  const handler = freshHandler(s3, {
    POWERTOOLS_METRICS_DISABLED: "true",
    POWERTOOLS_LOG_LEVEL: "ERROR",
  });

  it("segments every record of an S3 event, keys URL-encoded as S3 sends them", async () => {
    const pair = readFileSync(REPLICA_SAMPLE);
    const slide = readFileSync(DAPI_CROP);
    for (const [key, body] of [
      ["uploads/lab 2/pair.png", pair],
      ["uploads/slide.TIF", slide],
    ] as const)
      await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: body }));
    const outcomes = await handler()(
      uploadEvent(
        s3,
        { key: "uploads/lab+2/pair.png", size: pair.length },
        { key: "uploads/slide.TIF", size: slide.length },
        { key: "uploads/readme.txt", size: 10 },
      ),
      LAMBDA_CONTEXT,
    );
    expect(outcomes.map((o) => o.status)).toEqual(["segmented", "segmented", "skipped"]);
    const report = await s3.client.send(
      new GetObjectCommand({ Bucket: s3.bucket, Key: "results/slide.TIF/report.json" }),
    );
    expect(JSON.parse(await report.Body!.transformToString())).toMatchObject({
      mode: "slide",
      modelVersion: "fallback",
    });
  });

  it("skips a key with '..' segments, which the local bucket would resolve outside its folder", async () => {
    const outcomes = await handler()(
      uploadEvent(s3, { key: "uploads/../../x.png", size: 10 }),
      LAMBDA_CONTEXT,
    );
    expect(outcomes).toEqual([
      {
        status: "skipped",
        key: "uploads/../../x.png",
        reason: "key has '.' or '..' path segments; rename the file",
      },
    ]);
  });
});

describe("segment function handler with a broken model pointer", () => {
  const s3 = localS3();
  const handler = freshHandler(s3, {
    POWERTOOLS_METRICS_DISABLED: "false",
    POWERTOOLS_LOG_LEVEL: "WARN",
  });

  async function put(key: string, body: string | Uint8Array): Promise<void> {
    await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: body }));
  }

  it("segments with the baked-in model, warns once and counts it, instead of failing for a retry", async () => {
    await put("models/latest.json", "{ not json");
    const pair = readFileSync(REPLICA_SAMPLE);
    const printed: string[] = [];
    for (const stream of [process.stdout, process.stderr])
      vi.spyOn(stream, "write").mockImplementation((chunk) => {
        printed.push(String(chunk));
        return true;
      });
    const outcomes = [];
    for (const name of ["a.png", "b.png"]) {
      await put(`uploads/${name}`, pair);
      outcomes.push(
        ...(await handler()(uploadEvent(s3, { key: `uploads/${name}`, size: 1 }), LAMBDA_CONTEXT)),
      );
    }
    vi.restoreAllMocks();
    expect(outcomes.map((o) => o.status)).toEqual(["segmented", "segmented"]);
    const report = await s3.client.send(
      new GetObjectCommand({ Bucket: s3.bucket, Key: "results/b.png/report.json" }),
    );
    expect(JSON.parse(await report.Body!.transformToString())).toMatchObject({
      modelVersion: "fallback",
    });
    const lines = printed.join("").trim().split("\n");
    const warnings = lines.filter((line) => line.includes('"level":"WARN"'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("models/latest.json is not JSON; using the baked-in model");
    expect(lines.filter((line) => line.includes('"ModelPointerBroken"'))).toHaveLength(1);
  });
});

describe("segment function handler, refusals", () => {
  const s3 = localS3();
  const handler = freshHandler(s3, {
    POWERTOOLS_METRICS_DISABLED: "false",
    POWERTOOLS_LOG_LEVEL: "WARN",
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
      outcomes = await handler()(uploadEvent(s3, { key, size }), LAMBDA_CONTEXT);
    });
    return { outcomes, lines };
  }

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
        handler()(uploadEvent(s3, { key: "uploads/missing.png", size: 10 }), LAMBDA_CONTEXT),
      ).rejects.toThrow(),
    );
    expect(failed.find((line) => line.level === "ERROR")).toMatchObject({
      key: "uploads/missing.png",
    });
    expect(failed.find((line) => "UploadsFailed" in line)).toMatchObject({ UploadsFailed: 1 });
    const next = await printedBy(() => handler()(uploadEvent(s3), LAMBDA_CONTEXT));
    const logs = next.filter((line) => "level" in line);
    expect(logs.length).toBeGreaterThan(0); // "No application metrics to publish"
    for (const line of logs) expect(line).not.toHaveProperty("key");
  });
});
