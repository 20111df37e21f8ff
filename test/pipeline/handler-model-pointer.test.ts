import { readFileSync } from "node:fs";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { REPLICA_SAMPLE } from "../helpers.js";
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

async function put(key: string, body: string | Uint8Array): Promise<void> {
  await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: body }));
}

describe("segment function handler with a broken model pointer", () => {
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
        ...(await handler(uploadEvent(s3, { key: `uploads/${name}`, size: 1 }), LAMBDA_CONTEXT)),
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
