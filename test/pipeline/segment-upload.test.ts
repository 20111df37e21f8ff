import { readFileSync } from "node:fs";
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { afterAll, describe, expect, it } from "vitest";
import { decodeEventKey } from "../../src/pipeline/bucket-layout.js";
import { ModelSource } from "../../src/pipeline/model-source.js";
import { segmentUpload } from "../../src/pipeline/segment-upload.js";
import type { Upload } from "../../src/pipeline/segment-upload.js";
import { DAPI_CROP, LITE_MODEL, REPLICA_SAMPLE, temporaryFolder } from "../helpers.js";
import { localS3 } from "../s3.js";

const s3 = localS3();
const cacheDir = temporaryFolder();
let models: ModelSource;

function options() {
  models ??= new ModelSource({
    s3: s3.client,
    bucket: s3.bucket,
    pointerKey: "models/latest.json",
    fallbackPath: LITE_MODEL,
    cacheDir,
    threads: 1,
  });
  return { s3: s3.client, models };
}

afterAll(() => models?.release());

async function upload(key: string, body: Uint8Array | string): Promise<Upload> {
  await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: body }));
  return { bucket: s3.bucket, key, size: Buffer.byteLength(body) };
}

async function keysUnder(prefix: string): Promise<string[]> {
  const listed = await s3.client.send(
    new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix }),
  );
  return (listed.Contents ?? []).map((o) => o.Key!).sort();
}

async function readJson(key: string): Promise<Record<string, unknown>> {
  const object = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
  return JSON.parse(await object.Body!.transformToString()) as Record<string, unknown>;
}

describe("segmenting an upload", () => {
  it("writes labels, overlay and report for a crop, and the same keys when the event comes twice", async () => {
    const record = await upload("uploads/pair.png", readFileSync(REPLICA_SAMPLE));
    const first = await segmentUpload(record, options());
    const second = await segmentUpload(record, options());
    expect([first.status, second.status]).toEqual(["segmented", "segmented"]);
    expect(await keysUnder("results/pair.png/")).toEqual([
      "results/pair.png/labels.png",
      "results/pair.png/overlay.png",
      "results/pair.png/report.json",
    ]);
    expect(await readJson("results/pair.png/report.json")).toMatchObject({
      mode: "crop",
      modelVersion: "fallback",
    });
  });

  it("segments a whole slide, with a key holding spaces and unicode as S3 events encode it", async () => {
    const key = decodeEventKey("uploads/day+1/m%C3%A9taphase+3.tif");
    expect(key).toBe("uploads/day 1/métaphase 3.tif");
    const outcome = await segmentUpload(await upload(key, readFileSync(DAPI_CROP)), options());
    expect(outcome.status).toBe("segmented");
    const report = await readJson("results/day 1/métaphase 3.tif/report.json");
    expect(report.mode).toBe("slide");
    expect((report.objects as unknown[]).length).toBeGreaterThan(0);
  });

  it("answers a corrupt image with error.json and returns normally", async () => {
    const outcome = await segmentUpload(await upload("uploads/bad.png", "not a png"), options());
    expect(outcome).toMatchObject({ status: "refused" });
    expect(await keysUnder("results/bad.png/")).toEqual(["results/bad.png/error.json"]);
    expect((await readJson("results/bad.png/error.json")).reason).toMatch(/not a readable image/);
  });

  it("leaves only error.json when a good upload is replaced by a bad one under the same key", async () => {
    const key = "uploads/replaced/good-then-bad.png";
    expect(
      (await segmentUpload(await upload(key, readFileSync(REPLICA_SAMPLE)), options())).status,
    ).toBe("segmented");
    const outcome = await segmentUpload(await upload(key, "not a png"), options());
    expect(outcome.status).toBe("refused");
    expect(await keysUnder("results/replaced/good-then-bad.png/")).toEqual([
      "results/replaced/good-then-bad.png/error.json",
    ]);
  });

  it("removes the earlier error.json when a bad upload is replaced by a good one", async () => {
    const key = "uploads/replaced/bad-then-good.png";
    expect((await segmentUpload(await upload(key, "not a png"), options())).status).toBe("refused");
    const outcome = await segmentUpload(await upload(key, readFileSync(REPLICA_SAMPLE)), options());
    expect(outcome.status).toBe("segmented");
    expect(await keysUnder("results/replaced/bad-then-good.png/")).toEqual([
      "results/replaced/bad-then-good.png/labels.png",
      "results/replaced/bad-then-good.png/overlay.png",
      "results/replaced/bad-then-good.png/report.json",
    ]);
  });

  it("refuses an upload over the size limit without reading it", async () => {
    const record = await upload("uploads/huge.tif", readFileSync(DAPI_CROP));
    const outcome = await segmentUpload(record, { ...options(), maxBytes: 1000 });
    expect(outcome).toMatchObject({ status: "refused", reason: /over the limit of 1000/ });
  });

  it("skips objects outside uploads/ and names that are not images", async () => {
    const bucket = s3.bucket;
    expect(
      await segmentUpload({ bucket, key: "results/x.png/labels.png", size: 1 }, options()),
    ).toMatchObject({ status: "skipped", reason: "not under uploads/" });
    expect(
      await segmentUpload({ bucket, key: "uploads/notes.txt", size: 1 }, options()),
    ).toMatchObject({ status: "skipped" });
  });

  it("skips keys with '.' or '..' path segments, reading and writing nothing", async () => {
    const before = await keysUnder("");
    for (const key of ["uploads/../../x.png", "uploads/./a.png", "uploads/a/../b.png"]) {
      expect(await segmentUpload({ bucket: s3.bucket, key, size: 1 }, options())).toEqual({
        status: "skipped",
        key,
        reason: "key has '.' or '..' path segments; rename the file",
      });
    }
    expect(await keysUnder("")).toEqual(before);
  });

  it("throws when S3 cannot be reached, so Lambda retries", async () => {
    const unreachable = new S3Client({
      endpoint: "http://127.0.0.1:9",
      forcePathStyle: true,
      region: "us-east-1",
      credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
      maxAttempts: 1,
    });
    await expect(
      segmentUpload(
        { bucket: s3.bucket, key: "uploads/pair.png", size: 10 },
        { ...options(), s3: unreachable },
      ),
    ).rejects.toThrow();
    unreachable.destroy();
  });
});
