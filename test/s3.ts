/** A real S3 server (s3rver) on loopback for tests, with a client pointed at it. */
import { S3Client } from "@aws-sdk/client-s3";
import type { Context, S3Event } from "aws-lambda";
import S3rver from "s3rver";
import { afterAll, beforeAll } from "vitest";
import { temporaryFolder } from "./helpers.js";

export interface LocalS3 {
  client: S3Client;
  bucket: string;
  endpoint: string;
  server: S3rver;
}

/** Starts s3rver with one bucket before the test file's tests and stops it after them. */
export function localS3(bucket = "chromoseg-test"): LocalS3 {
  const local = { bucket } as LocalS3;
  const directory = temporaryFolder();
  beforeAll(async () => {
    local.server = new S3rver({
      address: "127.0.0.1",
      port: 0,
      silent: true,
      directory,
      configureBuckets: [{ name: bucket, configs: [] }],
    });
    const { port } = (await local.server.run()) as { port: number };
    local.endpoint = `http://127.0.0.1:${port}`;
    local.client = new S3Client({
      endpoint: local.endpoint,
      forcePathStyle: true,
      region: "us-east-1",
      credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    });
  });
  afterAll(async () => {
    local.client?.destroy();
    await local.server?.close();
  });
  return local;
}

/**
 * The standard AWS configuration pointed at `s3` and the segment function's settings, as the local
 * emulation sets them: nothing in the handler knows it runs against s3rver.
 */
export function segmentFunctionEnvironment(s3: LocalS3): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    AWS_ACCESS_KEY_ID: "S3RVER",
    AWS_SECRET_ACCESS_KEY: "S3RVER",
    AWS_REGION: "us-east-1",
    BUCKET_NAME: s3.bucket,
    MODEL_POINTER_KEY: "models/latest.json",
  };
}

export type TestHandler = (event: S3Event, context: Context) => Promise<{ status: string }[]>;

/**
 * The segment function's handler as Lambda loads it, into an environment pointed at `s3` (set
 * before the module loads) plus `settings` (Powertools' log level and the like).
 */
export async function loadSegmentHandler(
  s3: LocalS3,
  settings: Record<string, string>,
): Promise<TestHandler> {
  Object.assign(process.env, { ...segmentFunctionEnvironment(s3), ...settings });
  return (await import("../lambdas/segment/handler.js")).handler;
}

/** An S3 event of uploads to `s3`'s bucket, keys as given (S3 sends them URL-encoded). */
export function uploadEvent(s3: LocalS3, ...objects: { key: string; size: number }[]): S3Event {
  return {
    Records: objects.map(({ key, size }) => ({
      s3: { bucket: { name: s3.bucket }, object: { key, size, eTag: "e", sequencer: "0" } },
    })),
  } as unknown as S3Event;
}

/** The Lambda context a test invocation gets. */
export const LAMBDA_CONTEXT = {
  awsRequestId: "test-request",
  functionName: "segment",
  getRemainingTimeInMillis: () => 60_000,
} as unknown as Context;
