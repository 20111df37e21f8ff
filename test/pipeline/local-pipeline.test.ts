import { readFileSync } from "node:fs";
import { ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import type { S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalPipeline } from "../../src/pipeline/local-pipeline.js";
import { DAPI_CROP, REPLICA_SAMPLE, temporaryFolder } from "../helpers.js";

let pipeline: LocalPipeline;
let client: S3Client;

beforeAll(async () => {
  pipeline = await LocalPipeline.start({ directory: temporaryFolder(), port: 0, retries: 0 });
  client = pipeline.client();
});

afterAll(async () => {
  client?.destroy();
  await pipeline?.stop();
});

async function put(key: string, body: Uint8Array | string): Promise<void> {
  await client.send(new PutObjectCommand({ Bucket: pipeline.bucket, Key: key, Body: body }));
}

async function keysUnder(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({
        Bucket: pipeline.bucket,
        Prefix: prefix,
        ContinuationToken: token,
      }),
    );
    keys.push(...(page.Contents ?? []).map((o) => o.Key!));
    token = page.NextContinuationToken;
  } while (token);
  return keys.sort();
}

describe("local pipeline", () => {
  it("delivers uploads through the trigger's filter to the segment function", async () => {
    const before = { ...pipeline.counts };
    await put("uploads/day 1/paire é.png", readFileSync(REPLICA_SAMPLE));
    await put("uploads/slide.tif", readFileSync(DAPI_CROP));
    await put("uploads/notes.txt", "not for the trigger");
    await put("uploads/Mixed.Tif", readFileSync(DAPI_CROP)); // S3's filter is case-sensitive
    await put("elsewhere/pair.png", readFileSync(REPLICA_SAMPLE));
    await pipeline.idle();
    expect(pipeline.counts.delivered - before.delivered).toBe(2);
    expect(pipeline.counts.succeeded - before.succeeded).toBe(2);
    expect(await keysUnder("results/")).toEqual([
      "results/day 1/paire é.png/labels.png",
      "results/day 1/paire é.png/overlay.png",
      "results/day 1/paire é.png/report.json",
      "results/slide.tif/chromosomes.json",
      "results/slide.tif/labels.png",
      "results/slide.tif/overlay.png",
      "results/slide.tif/report.json",
    ]);
  });

  it("turns a burst of 200 uploads into 200 result sets, none lost, none duplicated", async () => {
    const before = { ...pipeline.counts };
    const pair = readFileSync(REPLICA_SAMPLE);
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 200 }, (_, k) =>
        put(`uploads/burst/${String(k).padStart(3, "0")}.png`, pair),
      ),
    );
    await pipeline.idle();
    const seconds = (performance.now() - started) / 1000;
    const reports = (await keysUnder("results/burst/")).filter((k) => k.endsWith("/report.json"));
    expect(reports.length).toBe(200);
    expect(new Set(reports).size).toBe(200);
    expect(pipeline.counts.delivered - before.delivered).toBe(200);
    expect(pipeline.counts.succeeded - before.succeeded).toBe(200);
    expect(pipeline.counts.failed).toBe(0);
    console.log(`burst: 200 uploads to 200 result sets in ${seconds.toFixed(1)} s`);
  }, 300_000);
});
