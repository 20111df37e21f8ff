/**
 * Which uploads count as unfinished (src/pipeline/unfinished-uploads.ts), as the local pipeline
 * finds and redelivers them when it starts on a bucket a killed run left behind.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import type { S3Client } from "@aws-sdk/client-s3";
import { afterAll, describe, expect, it, vi } from "vitest";
import { LOCAL_BUCKET, startLocalBucket } from "../../src/pipeline/local-bucket.js";
import { LocalPipeline } from "../../src/pipeline/local-pipeline.js";
import { DAPI_CROP, REPLICA_SAMPLE, temporaryFolder } from "../helpers.js";

const data = temporaryFolder();
let pipeline: LocalPipeline | undefined;

afterAll(async () => {
  await pipeline?.stop();
});

async function put(client: S3Client, key: string, body: string | Uint8Array): Promise<string> {
  const { ETag } = await client.send(
    new PutObjectCommand({ Bucket: LOCAL_BUCKET, Key: key, Body: body }),
  );
  return JSON.parse(ETag!) as string;
}

async function read(client: S3Client, key: string): Promise<string> {
  const object = await client.send(new GetObjectCommand({ Bucket: LOCAL_BUCKET, Key: key }));
  return object.Body!.transformToString();
}

describe("local pipeline after a crash", () => {
  it("processes on start every upload without a complete result, and says how many", async () => {
    // what a killed pipeline leaves: uploads the bucket took but the function never finished
    const bare = await startLocalBucket({ directory: data, port: 0 });
    const client = bare.client();
    const pair = readFileSync(REPLICA_SAMPLE);
    await put(client, "uploads/never.png", pair);
    await put(client, "uploads/day 2/never.tif", readFileSync(DAPI_CROP));
    await put(client, "uploads/pictures-only.png", pair);
    await put(client, "results/pictures-only.png/labels.png", "half a result set");
    await put(client, "uploads/cut-report.png", pair);
    await put(client, "results/cut-report.png/report.json", '{\n  "mode": "cr');
    await put(client, "uploads/replaced.png", pair);
    await put(client, "results/replaced.png/report.json", JSON.stringify({ eTag: "earlier" }));
    const doneETag = await put(client, "uploads/done.png", pair);
    const doneReport = JSON.stringify({ mode: "crop", eTag: doneETag });
    await put(client, "results/done.png/report.json", doneReport);
    await put(client, "uploads/refused.png", "");
    await put(client, "results/refused.png/error.json", JSON.stringify({ reason: "empty" }));
    await put(client, "uploads/notes.txt", "not for the trigger");
    client.destroy();
    await bare.close();
    // and one the server itself was killed writing: its bytes cut short, no metadata beside them
    writeFileSync(
      join(data, LOCAL_BUCKET, "uploads", "torn.png._S3rver_object"),
      pair.subarray(0, 100),
    );

    const printed = vi.spyOn(console, "log").mockImplementation(() => {});
    pipeline = await LocalPipeline.start({ directory: data, port: 0, retries: 0 });
    await pipeline.idle();
    const lines = printed.mock.calls.map((call) => String(call[0]));
    printed.mockRestore();

    expect(lines).toContain("local pipeline: recovered 6 uploads that had no result");
    expect(pipeline.counts).toEqual({ recovered: 6, delivered: 6, succeeded: 6, failed: 0 });
    const s3 = pipeline.client();
    const results = new Set(
      (
        (await s3.send(new ListObjectsV2Command({ Bucket: LOCAL_BUCKET, Prefix: "results/" })))
          .Contents ?? []
      ).map((object) => object.Key!),
    );
    for (const name of [
      "never.png",
      "day 2/never.tif",
      "pictures-only.png",
      "cut-report.png",
      "replaced.png",
    ]) {
      expect(results, name).toContain(`results/${name}/report.json`);
      expect(JSON.parse(await read(s3, `results/${name}/report.json`))).toMatchObject({
        modelVersion: "fallback",
      });
    }
    expect(JSON.parse(await read(s3, "results/torn.png/error.json")).reason).toMatch(
      /uploads\/torn\.png: not a readable image/,
    );
    expect(await read(s3, "results/done.png/report.json")).toBe(doneReport);
    s3.destroy();
  });
});
