/**
 * One uploaded image → its results in the bucket: what the segment function does for each S3
 * record, and the local emulation for each event. Bad input is answered with results/…/error.json
 * and a normal return (retrying cannot help); S3 faults throw, so the caller retries. Each result
 * first deletes what an earlier upload under the same key left, so results/…/ holds one run's.
 */
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import type { S3Client } from "@aws-sdk/client-s3";
import { ImageError, UserError } from "../errors.js";
import type { ImageProblem } from "../errors.js";
import { segmentImage } from "../infer/segment-image.js";
import type { SegmentOptions, SegmentReport } from "../infer/segment-image.js";
import { ERROR_FILE, clearResults, resultFiles, resultJson } from "../infer/write-outputs.js";
import type { SegmentError } from "../infer/write-outputs.js";
import { UPLOADS_PREFIX, hasDotSegments, isImageName, resultsFolderFor } from "./bucket-layout.js";
import type { ModelSource } from "./model-source.js";

/** Larger uploads are refused unread. */
export const DEFAULT_MAX_UPLOAD_BYTES = 200 * 1024 * 1024;

/** The object an S3 event names, its key already decoded (see `decodeEventKey`). */
export interface Upload {
  bucket: string;
  key: string;
  /** Bytes, as the event reports it. */
  size: number;
  /** The object's version (versioned buckets), read exactly. */
  versionId?: string;
  eTag?: string;
}

/** report.json of an upload: the engine's report, the object's version and the model's. */
export interface UploadReport extends SegmentReport {
  versionId?: string;
  eTag?: string;
  /** The model pointer's version, or `fallback` for the model baked into the image. */
  modelVersion: string;
  /** Why the baked-in model was used although the bucket has a model pointer (it is broken). */
  modelPointerProblem?: string;
}

/** error.json of an upload: why it has no outputs, and which version of the object that was. */
export interface UploadError extends SegmentError {
  versionId?: string;
  eTag?: string;
}

/** Why an upload was refused, coarsely (the reason in words goes to error.json and the log). */
export type RefusalKind = ImageProblem | "other";

export type UploadOutcome =
  | { status: "skipped"; key: string; reason: string }
  | { status: "segmented"; key: string; results: string; report: UploadReport }
  | { status: "refused"; kind: RefusalKind; key: string; results: string; reason: string };

export interface SegmentUploadOptions extends SegmentOptions {
  s3: S3Client;
  models: ModelSource;
  /** @default DEFAULT_MAX_UPLOAD_BYTES */
  maxBytes?: number;
}

export async function segmentUpload(
  upload: Upload,
  options: SegmentUploadOptions,
): Promise<UploadOutcome> {
  const { key } = upload;
  if (!key.startsWith(UPLOADS_PREFIX))
    return { status: "skipped", key, reason: `not under ${UPLOADS_PREFIX}` };
  // On AWS such a key is literal, but a folder-backed bucket (the local one) would resolve it.
  if (hasDotSegments(key))
    return { status: "skipped", key, reason: "key has '.' or '..' path segments; rename the file" };
  if (!isImageName(key))
    return { status: "skipped", key, reason: "not an image name (.png .tif .tiff .jpg .jpeg)" };
  const results = resultsFolderFor(key);
  const put = (name: string, body: string | Uint8Array, contentType: string) =>
    options.s3.send(
      new PutObjectCommand({
        Bucket: upload.bucket,
        Key: results + name,
        Body: body,
        ContentType: contentType,
      }),
    );
  const clearEarlierResults = () =>
    clearResults((name) =>
      options.s3.send(new DeleteObjectCommand({ Bucket: upload.bucket, Key: results + name })),
    );
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  const refuse = async (reason: string, kind: RefusalKind): Promise<UploadOutcome> => {
    const error: UploadError = {
      image: key,
      versionId: upload.versionId,
      eTag: upload.eTag,
      reason,
    };
    await clearEarlierResults();
    await put(ERROR_FILE, resultJson(error), "application/json");
    return { status: "refused", kind, key, results, reason };
  };
  if (upload.size > maxBytes)
    return refuse(`${upload.size} bytes, over the limit of ${maxBytes}`, "too-large");

  const object = await options.s3.send(
    new GetObjectCommand({ Bucket: upload.bucket, Key: key, VersionId: upload.versionId }),
  );
  const bytes = await object.Body!.transformToByteArray();
  const { model, version, pointerProblem } = await options.models.get();
  let outputs: Awaited<ReturnType<typeof segmentImage>>;
  try {
    outputs = await segmentImage(model, bytes, key, options);
  } catch (error) {
    if (error instanceof UserError)
      return refuse(error.message, error instanceof ImageError ? error.problem : "other");
    throw error;
  }
  const report: UploadReport = {
    ...outputs.report,
    versionId: upload.versionId,
    eTag: upload.eTag,
    modelVersion: version,
    modelPointerProblem: pointerProblem,
  };
  await clearEarlierResults();
  // in order: the report last, so a report means its pictures are there
  for (const file of resultFiles(outputs, report))
    await put(file.name, file.data, file.contentType);
  return { status: "segmented", key, results, report };
}
