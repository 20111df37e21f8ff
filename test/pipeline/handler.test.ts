import { readFileSync } from "node:fs";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import type { Context, S3Event } from "aws-lambda";
import { beforeAll, describe, expect, it } from "vitest";
import { DAPI_CROP, REPLICA_SAMPLE } from "../helpers.js";
import { localS3, segmentFunctionEnvironment } from "../s3.js";

const s3 = localS3();
let handler: (event: S3Event, context: Context) => Promise<{ status: string }[]>;

beforeAll(async () => {
  Object.assign(process.env, {
    ...segmentFunctionEnvironment(s3),
    POWERTOOLS_METRICS_DISABLED: "true",
    POWERTOOLS_LOG_LEVEL: "ERROR",
  });
  ({ handler } = await import("../../lambdas/segment/handler.js"));
});

function eventFor(...objects: { key: string; size: number }[]): S3Event {
  return {
    Records: objects.map(({ key, size }) => ({
      s3: { bucket: { name: s3.bucket }, object: { key, size, eTag: "e", sequencer: "0" } },
    })),
  } as unknown as S3Event;
}

const context = {
  awsRequestId: "test-request",
  functionName: "segment",
  getRemainingTimeInMillis: () => 60_000,
} as unknown as Context;

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
      eventFor(
        { key: "uploads/lab+2/pair.png", size: pair.length },
        { key: "uploads/slide.TIF", size: slide.length },
        { key: "uploads/readme.txt", size: 10 },
      ),
      context,
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
    const outcomes = await handler(eventFor({ key: "uploads/../../x.png", size: 10 }), context);
    expect(outcomes).toEqual([
      {
        status: "skipped",
        key: "uploads/../../x.png",
        reason: "key has '.' or '..' path segments; rename the file",
      },
    ]);
  });
});
