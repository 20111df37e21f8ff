/**
 * The model a long-lived process (the segment function, the local pipeline) segments with: the
 * one the bucket's pointer names, downloaded once, checked against its sha256 and reused; the
 * pointer is looked at again at most every `recheckSeconds` (by ETag, so an unchanged pointer
 * costs one small request); without a pointer, the model baked into the image. A broken pointer
 * (one model-pointer.ts refuses: not JSON, a field missing or malformed; or one naming a model
 * that is not in the bucket, has another sha256 or does not load) also gets the baked-in model,
 * and `onBrokenPointer` hears of it once per pointer version; S3 faults throw, for the caller to
 * retry.
 */
import { createHash } from "node:crypto";
import { access } from "node:fs/promises";
import { join } from "node:path";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import type { S3Client } from "@aws-sdk/client-s3";
import { writeFileAtomically } from "../files.js";
import { OnnxModel } from "../onnx/onnx-model.js";
import { SETTINGS } from "../settings.js";
import { parseModelPointer } from "./model-pointer.js";
import type { ModelPointer } from "./model-pointer.js";

export interface ModelSourceOptions {
  s3: S3Client;
  bucket: string;
  pointerKey: string;
  /** The model to use while the bucket has no pointer. */
  fallbackPath: string;
  /** Where downloaded models are kept. @default SETTINGS.modelCacheDir */
  cacheDir?: string;
  /** Look at the pointer again after this many seconds. @default 60 */
  recheckSeconds?: number;
  /** onnxruntime threads. @default the machine's cores */
  threads?: number;
  /** Milliseconds since some origin; tests move it. @default performance.now */
  now?: () => number;
  /** Told why the pointer is unusable, once per pointer version (ETag), as the fallback takes over. */
  onBrokenPointer?: (problem: string) => void;
}

export interface CurrentModel {
  model: OnnxModel;
  /** The pointer's version, or `fallback` for the baked-in model. */
  version: string;
  /** Why the baked-in model stands in for a pointer that exists but cannot be used. */
  pointerProblem?: string;
}

export class ModelSource {
  private current?: CurrentModel & { etag?: string };
  private checkedAt = -Infinity;
  /** The broken pointer last reported, so that one version is reported once. */
  private reportedBroken?: string;
  private readonly now: () => number;

  constructor(private readonly options: ModelSourceOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  /** The model to use now. Throws on S3 faults, for the caller to retry. */
  async get(): Promise<CurrentModel> {
    const recheck = (this.options.recheckSeconds ?? 60) * 1000;
    if (this.current && this.now() - this.checkedAt < recheck) return this.current;
    const pointer = await this.readPointer();
    this.checkedAt = this.now();
    if (pointer === "unchanged") return this.current!;
    if (pointer === "absent") return this.useFallback();
    const value = parseModelPointer(pointer.text, this.options.pointerKey);
    if (typeof value === "string") return this.brokenPointer(value, pointer.etag);
    // the same bytes under another name (a re-published or promoted version) keep the session
    if (value.sha256 !== this.current?.model.sha256) {
      const model = await this.loadPublished(value);
      if (typeof model === "string") return this.brokenPointer(model, pointer.etag);
      await this.use(model);
    }
    Object.assign(this.current!, {
      etag: pointer.etag,
      version: value.version,
      pointerProblem: undefined,
    });
    return this.current!;
  }

  async release(): Promise<void> {
    await this.current?.model.release();
    this.current = undefined;
  }

  private async useFallback(pointerProblem?: string): Promise<CurrentModel> {
    if (this.current?.version !== FALLBACK)
      await this.use(await OnnxModel.load(this.options.fallbackPath, this.sessionOptions()));
    this.current!.pointerProblem = pointerProblem;
    return this.current!;
  }

  /** The fallback, for a pointer that cannot be used; re-read (not reported again) at each recheck. */
  private async brokenPointer(problem: string, etag?: string): Promise<CurrentModel> {
    const version = etag ?? problem;
    if (this.reportedBroken !== version) this.options.onBrokenPointer?.(problem);
    this.reportedBroken = version;
    return this.useFallback(problem);
  }

  /** Switches to `model` (as the fallback until `get` names its version) and releases the old one. */
  private async use(model: OnnxModel) {
    const previous = this.current?.model;
    this.current = { model, version: FALLBACK };
    await previous?.release();
  }

  private sessionOptions() {
    return { threads: this.options.threads };
  }

  /** The pointer's text, `unchanged` (same ETag as last time) or `absent`. */
  private async readPointer(): Promise<{ text: string; etag?: string } | "unchanged" | "absent"> {
    const { s3, bucket, pointerKey } = this.options;
    try {
      const response = await s3.send(
        new GetObjectCommand({ Bucket: bucket, Key: pointerKey, IfNoneMatch: this.current?.etag }),
      );
      return { text: await response.Body!.transformToString(), etag: response.ETag };
    } catch (error) {
      const status = statusOf(error);
      if (status === 304) return "unchanged";
      if (isMissing(status)) return "absent";
      throw error;
    }
  }

  /** The model the pointer names, or what is wrong with it (S3 faults throw, for a retry). */
  private async loadPublished(pointer: ModelPointer): Promise<OnnxModel | string> {
    const named = `${this.options.pointerKey} names ${pointer.key} (version ${pointer.version})`;
    const file = await this.download(pointer);
    if (file === "missing") return `${named}, which is not in the bucket`;
    if (file.sha256 !== pointer.sha256)
      return `${named}, whose sha256 is ${file.sha256}, not the pointer's ${pointer.sha256}`;
    try {
      return await OnnxModel.load(file.path, this.sessionOptions());
    } catch (error) {
      return `${named}, which is not a usable model (${(error as Error).message})`;
    }
  }

  /** The model's file, kept once per sha256 (only bytes of the pointer's sha256 are kept). */
  private async download(
    pointer: ModelPointer,
  ): Promise<{ path: string; sha256: string } | "missing"> {
    const dir = this.options.cacheDir ?? SETTINGS.modelCacheDir;
    const path = join(dir, `${pointer.sha256}.onnx`);
    if (await exists(path)) return { path, sha256: pointer.sha256 };
    let response;
    try {
      response = await this.options.s3.send(
        new GetObjectCommand({ Bucket: this.options.bucket, Key: pointer.key }),
      );
    } catch (error) {
      if (isMissing(statusOf(error))) return "missing";
      throw error;
    }
    const bytes = await response.Body!.transformToByteArray();
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    if (sha256 === pointer.sha256) await writeFileAtomically(path, bytes);
    return { path, sha256 };
  }
}

const FALLBACK = "fallback";

/** What a log says when a broken pointer makes the baked-in model stand in. */
export function fallbackWarning(pointerProblem: string): string {
  return `${pointerProblem}; using the baked-in model`;
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

/** Without s3:ListBucket (the function has none), a missing key answers 403, not 404. */
function isMissing(status: number | undefined): boolean {
  return status === 404 || status === 403;
}
