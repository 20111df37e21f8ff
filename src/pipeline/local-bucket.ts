/** The local stand-in for the stack's bucket: s3rver on loopback, its objects in a folder. */
import { createRequire } from "node:module";
import { S3Client } from "@aws-sdk/client-s3";
import S3rver from "s3rver";
import { SETTINGS } from "../settings.js";
import { hasDotSegments } from "./bucket-layout.js";

/** s3rver's error, which it answers as S3 does (its types leave it out). */
const S3Error = createRequire(import.meta.url)("s3rver/lib/models/error.js") as new (
  code: string,
  message: string,
) => Error;

/** s3rver's filesystem store, the one place that turns every key (copy sources too) into a path. */
interface FilesystemStore {
  getResourcePath(bucket: string, key: string | undefined, resource: string): string;
}

/** The credentials s3rver accepts, and the region its events name. */
export const LOCAL_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };
export const LOCAL_REGION = "us-east-1";
export const LOCAL_BUCKET = "chromoseg-local";

export interface LocalBucketOptions {
  /** Where s3rver keeps the objects. */
  directory: string;
  /** @default LOCAL_BUCKET */
  bucket?: string;
  /** 0 picks a free port. @default SETTINGS.localS3Port (s3rver's own) */
  port?: number;
}

export interface LocalBucket {
  server: S3rver;
  endpoint: string;
  bucket: string;
  /** A client for it, configured as any S3 client would be for it. */
  client(): S3Client;
  close(): Promise<void>;
}

export async function startLocalBucket(options: LocalBucketOptions): Promise<LocalBucket> {
  const bucket = options.bucket ?? LOCAL_BUCKET;
  const server = new S3rver({
    address: "127.0.0.1",
    port: options.port ?? SETTINGS.localS3Port,
    silent: true,
    directory: options.directory,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  refuseDotSegments((server as unknown as { store: FilesystemStore }).store);
  const { port } = (await server.run()) as { port: number };
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    server,
    endpoint,
    bucket,
    client: () =>
      new S3Client({
        endpoint,
        forcePathStyle: true,
        region: LOCAL_REGION,
        credentials: LOCAL_CREDENTIALS,
      }),
    close: () => server.close(),
  };
}

/**
 * On S3 `uploads/../x.png` is a key like any other; s3rver's store would join it to its folder and
 * write outside it, so here such keys are refused (S3's InvalidArgument, a 400) and logged.
 */
function refuseDotSegments(store: FilesystemStore): void {
  const resourcePath = store.getResourcePath.bind(store);
  store.getResourcePath = (bucket, key, resource) => {
    if (key !== undefined && hasDotSegments(key)) {
      const reason = `${key}: a key with . or .. segments would name another file, perhaps outside the bucket's folder`;
      console.error(`local bucket: refused ${reason}`);
      throw new S3Error("InvalidArgument", `refused ${reason}`);
    }
    return resourcePath(bucket, key, resource);
  };
}
