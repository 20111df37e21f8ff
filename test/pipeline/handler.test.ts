import { readFileSync } from "node:fs";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { DAPI_CROP, REPLICA_SAMPLE } from "../helpers.js";
import { LAMBDA_CONTEXT, loadSegmentHandler, localS3, uploadEvent } from "../s3.js";
import type { TestHandler } from "../s3.js";

const s3 = localS3();
let handler: TestHandler;

beforeAll(async () => {
  handler = await loadSegmentHandler(s3, {
    POWERTOOLS_METRICS_DISABLED: "true",
    POWERTOOLS_LOG_LEVEL: "ERROR",
  });
});

describe("segment function handler", () => {
  it("segments every record of an S3 event, keys URL-encoded as S3 sends them", async () => {
    const pair = readFileSync(REPLICA_SAMPLE);
    const slide = readFileSync(DAPI_CROP);
    for (const [key, body] of [
      ["uploads/lab 2/pair.png", pair],
      ["uploads/slide.TIF", slide],
    ] as const)
      await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: body }));
    const outcomes = await handler(
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
    const outcomes = await handler(
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
