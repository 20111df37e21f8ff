/**
 * One uploaded image → its results in the bucket: what the segment function does for each S3
 * record, and the local emulation for each event. Bad input is answered with results/…/error.json
 * and a normal return (retrying cannot help); S3 faults throw, so the caller retries.
 */
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import type { S3Client } from "@aws-sdk/client-s3";
import { UserError } from "../errors.js";
import { segmentImage } from "../infer/segment-image.js";
import type { SegmentOptions, SegmentReport } from "../infer/segment-image.js";
import { OUTPUT_FILES } from "../infer/write-outputs.js";
import { UPLOADS_PREFIX, isImageName, resultsFolderFor } from "./bucket-layout.js";
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
}

export type UploadOutcome =
  | { status: "skipped"; key: string; reason: string }
  | { status: "segmented"; key: string; results: string; report: UploadReport }
  | { status: "refused"; key: string; results: string; reason: string };

export interface SegmentUploadOptions extends SegmentOptions {
  s3: S3Client;
  models: ModelSource;
  /** @default DEFAULT_MAX_UPLOAD_BYTES */
  maxBytes?: number;
}

export const ERROR_FILE = "error.json";

export async function segmentUpload(
  upload: Upload,
  options: SegmentUploadOptions,
): Promise<UploadOutcome> {
  const { key } = upload;
  if (!key.startsWith(UPLOADS_PREFIX))
    return { status: "skipped", key, reason: `not under ${UPLOADS_PREFIX}` };
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
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  const refuse = async (reason: string): Promise<UploadOutcome> => {
    const error = { image: key, versionId: upload.versionId, eTag: upload.eTag, reason };
    await put(ERROR_FILE, JSON.stringify(error, null, 2), "application/json");
    return { status: "refused", key, results, reason };
  };
  if (upload.size > maxBytes) return refuse(`${upload.size} bytes, over the limit of ${maxBytes}`);

  const object = await options.s3.send(
    new GetObjectCommand({ Bucket: upload.bucket, Key: key, VersionId: upload.versionId }),
  );
  const bytes = await object.Body!.transformToByteArray();
  const { model, version } = await options.models.get();
  let outputs: Awaited<ReturnType<typeof segmentImage>>;
  try {
    outputs = await segmentImage(model, bytes, key, options);
  } catch (error) {
    if (error instanceof UserError) return refuse(error.message);
    throw error;
  }
  const report: UploadReport = {
    ...outputs.report,
    versionId: upload.versionId,
    eTag: upload.eTag,
    modelVersion: version,
  };
  await put(OUTPUT_FILES.labels, outputs.labelsPng, "image/png");
  await put(OUTPUT_FILES.overlay, outputs.overlayPng, "image/png");
  // last: a report means its pictures are there
  await put(OUTPUT_FILES.report, JSON.stringify(report, null, 2), "application/json");
  return { status: "segmented", key, results, report };
}
