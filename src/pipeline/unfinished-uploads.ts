/**
 * Uploads the segment function has not finished, as a pipeline killed in the middle of a burst
 * leaves them: images under uploads/ that the trigger matches, without a complete result. A result
 * is complete when its report.json (written last) or error.json reads as JSON and belongs to the
 * upload as it is now (the eTag it records); a set cut short, or an older upload's, is not.
 */
import { GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import type { S3Client } from "@aws-sdk/client-s3";
import { ERROR_FILE, OUTPUT_FILES } from "../infer/write-outputs.js";
import {
  RESULTS_PREFIX,
  UPLOADS_PREFIX,
  hasDotSegments,
  resultsFolderFor,
  triggersSegmentation,
} from "./bucket-layout.js";

/** An object as the bucket lists it. */
export interface ListedObject {
  key: string;
  size: number;
  /** The MD5 S3 names it by, unquoted (as events carry it). */
  eTag?: string;
}

export async function findUnfinishedUploads(s3: S3Client, bucket: string): Promise<ListedObject[]> {
  const uploads = (await listObjects(s3, bucket, UPLOADS_PREFIX)).filter(
    // the function skips dot-segment keys, so they never get a result to find
    ({ key }) => triggersSegmentation(key) && !hasDotSegments(key),
  );
  const results = new Set((await listObjects(s3, bucket, RESULTS_PREFIX)).map(({ key }) => key));
  const unfinished: ListedObject[] = [];
  for (const upload of uploads)
    if (!(await hasCompleteResult(s3, bucket, upload, results))) unfinished.push(upload);
  return unfinished;
}

async function hasCompleteResult(
  s3: S3Client,
  bucket: string,
  upload: ListedObject,
  results: Set<string>,
): Promise<boolean> {
  const folder = resultsFolderFor(upload.key);
  for (const name of [OUTPUT_FILES.report, ERROR_FILE]) {
    if (!results.has(folder + name)) continue;
    const result = await readJson(s3, bucket, folder + name);
    // results written without the upload's eTag (none in the event) cannot be told apart
    if (result && (result.eTag === undefined || result.eTag === upload.eTag)) return true;
  }
  return false;
}

/** The object as JSON, or null when it is not a whole JSON object. */
async function readJson(
  s3: S3Client,
  bucket: string,
  key: string,
): Promise<{ eTag?: unknown } | null> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  try {
    const value: unknown = JSON.parse(await object.Body!.transformToString());
    return typeof value === "object" && value !== null ? value : null;
  } catch {
    return null;
  }
}

async function listObjects(s3: S3Client, bucket: string, prefix: string): Promise<ListedObject[]> {
  const objects: ListedObject[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const { Key, Size, ETag } of page.Contents ?? [])
      objects.push({ key: Key!, size: Size ?? 0, eTag: ETag?.replace(/^"|"$/g, "") });
    token = page.NextContinuationToken;
  } while (token);
  return objects;
}
