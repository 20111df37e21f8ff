/**
 * Model versions in the bucket: models/<version>/ holds model.onnx, metadata.json and whatever
 * else the trainer keeps with it; models/latest.json (the pointer) names the one in use. A
 * version is named by the pointer only after all its files are uploaded.
 */
import { createHash } from "node:crypto";
import { ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import type { S3Client } from "@aws-sdk/client-s3";
import { percent } from "../format.js";
import { UserError } from "../errors.js";
import { MODELS_PREFIX } from "./bucket-layout.js";
import { getObjectOrNull } from "./get-object.js";
import {
  MODEL_POINTER_KEY,
  brokenPointerError,
  formatModelPointer,
  parseModelPointer,
} from "./model-pointer.js";
import type { ModelPointer } from "./model-pointer.js";

export const MODEL_FILE = "model.onnx";
export const VERSION_METADATA_FILE = "metadata.json";

/**
 * The quality gate's allowance: how much lower (0–1) a version's test mean IoU may be than the
 * current one's and still be promoted (`chromoseg models promote --tolerance`, the training job).
 */
export const QUALITY_GATE_TOLERANCE = 0.005;

/** metadata.json of a version: what the quality gate and `models list` read. */
export interface VersionMetadata {
  version: string;
  /** sha256 of model.onnx, hex. */
  sha256: string;
  /** Mean IoU on the test split, 0–1. */
  testMeanIoU: number;
  createdAt: string;
  [other: string]: unknown;
}

export interface VersionSummary extends VersionMetadata {
  current: boolean;
}

export class ModelRegistry {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  /**
   * Uploads a version's files (model.onnx among them), then its metadata.json; returns the
   * metadata. Does not touch the pointer.
   */
  async upload(
    version: string,
    files: Record<string, Uint8Array>,
    testMeanIoU: number,
    extra: Record<string, unknown> = {},
  ): Promise<VersionMetadata> {
    const model = files[MODEL_FILE];
    if (!model) throw new Error(`version ${version} has no ${MODEL_FILE}`);
    for (const [name, body] of Object.entries(files)) await this.put(keyOf(version, name), body);
    const metadata: VersionMetadata = {
      ...extra,
      version,
      sha256: createHash("sha256").update(model).digest("hex"),
      testMeanIoU,
      createdAt: new Date().toISOString(),
    };
    await this.put(keyOf(version, VERSION_METADATA_FILE), JSON.stringify(metadata, null, 2));
    return metadata;
  }

  /**
   * Points models/latest.json at `version` unless its test mean IoU is below the current one's
   * by more than `tolerance` (the quality gate; `force` skips it). Returns whether it did. A
   * broken pointer throws a UserError saying what is wrong, unless `force` (which replaces it).
   */
  async promote(
    version: string,
    {
      tolerance = QUALITY_GATE_TOLERANCE,
      force = false,
    }: { tolerance?: number; force?: boolean } = {},
  ): Promise<{ promoted: boolean; reason: string }> {
    const candidate = await this.metadata(version);
    const pointer = await this.pointer();
    if (typeof pointer === "string" && !force) {
      throw new UserError(brokenPointerError(pointer, version));
    }
    const current = typeof pointer === "string" ? null : (pointer?.version ?? null);
    if (!force && current && current !== version) {
      const incumbent = await this.metadata(current);
      if (candidate.testMeanIoU < incumbent.testMeanIoU - tolerance) {
        return {
          promoted: false,
          reason: `test mean IoU ${percent(candidate.testMeanIoU, 2)} is below the current ${current}'s ${percent(incumbent.testMeanIoU, 2)} by more than ${percent(tolerance, 2)}`,
        };
      }
    }
    const promoted: ModelPointer = {
      version,
      key: keyOf(version, MODEL_FILE),
      sha256: candidate.sha256,
      metadata: { testMeanIoU: candidate.testMeanIoU },
    };
    await this.put(MODEL_POINTER_KEY, formatModelPointer(promoted));
    return {
      promoted: true,
      reason:
        typeof pointer === "string"
          ? `replaces a broken pointer (${pointer})`
          : current
            ? `replaces ${current}`
            : "the first version published",
    };
  }

  /**
   * Every version with metadata, oldest first, the pointer's marked (none while the pointer is
   * broken: listing is how one finds the version to repair it with).
   */
  async list(): Promise<VersionSummary[]> {
    const versions: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: MODELS_PREFIX,
          Delimiter: "/",
          ContinuationToken: token,
        }),
      );
      for (const { Prefix } of page.CommonPrefixes ?? [])
        versions.push(Prefix!.slice(MODELS_PREFIX.length, -1));
      token = page.NextContinuationToken;
    } while (token);
    const pointer = await this.pointer();
    const current = typeof pointer === "string" ? null : (pointer?.version ?? null);
    const summaries = await Promise.all(
      versions.map(async (v) => ({ ...(await this.metadata(v)), current: v === current })),
    );
    return summaries.sort(
      (a, b) => a.createdAt.localeCompare(b.createdAt) || a.version.localeCompare(b.version),
    );
  }

  /**
   * The pointer's version, or null without a pointer; a broken pointer throws a UserError saying
   * what is wrong with it.
   */
  async currentVersion(): Promise<string | null> {
    const pointer = await this.pointer();
    if (typeof pointer === "string") throw new UserError(brokenPointerError(pointer));
    return pointer?.version ?? null;
  }

  /** The pointer, null without one, or what is wrong with it. */
  private async pointer(): Promise<ModelPointer | string | null> {
    const text = await this.read(MODEL_POINTER_KEY);
    return text === null ? null : parseModelPointer(text);
  }

  private async metadata(version: string): Promise<VersionMetadata> {
    const text = await this.read(keyOf(version, VERSION_METADATA_FILE));
    if (text === null)
      throw new UserError(
        `no model version ${version} (no ${keyOf(version, VERSION_METADATA_FILE)})`,
      );
    return JSON.parse(text) as VersionMetadata;
  }

  private async read(key: string): Promise<string | null> {
    const object = await getObjectOrNull(this.s3, { Bucket: this.bucket, Key: key });
    return object && (await object.Body!.transformToString());
  }

  private async put(key: string, body: string | Uint8Array): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body }));
  }
}

function keyOf(version: string, file: string): string {
  return `${MODELS_PREFIX}${version}/${file}`;
}
