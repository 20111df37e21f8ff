import { readFileSync } from "node:fs";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import type { Context, S3Event } from "aws-lambda";
import { beforeAll, describe, expect, it } from "vitest";
import { DAPI_CROP, REPLICA_SAMPLE } from "../helpers.js";
import { localS3 } from "../s3.js";

const s3 = localS3();
let handler: (event: S3Event, context: Context) => Promise<{ status: string }[]>;

beforeAll(async () => {
  // the standard AWS configuration, as the local emulation sets it: nothing in the handler knows
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    AWS_ACCESS_KEY_ID: "S3RVER",
    AWS_SECRET_ACCESS_KEY: "S3RVER",
    AWS_REGION: "us-east-1",
    BUCKET_NAME: s3.bucket,
    MODEL_POINTER_KEY: "models/latest.json",
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
});
