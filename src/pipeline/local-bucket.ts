/** The local stand-in for the stack's bucket: s3rver on loopback, its objects in a folder. */
import { S3Client } from "@aws-sdk/client-s3";
import S3rver from "s3rver";

/** The credentials s3rver accepts, and the region its events name. */
export const LOCAL_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };
export const LOCAL_REGION = "us-east-1";
export const LOCAL_BUCKET = "chromoseg-local";
/** Where `chromoseg local` keeps the bucket's objects unless told otherwise. */
export const DEFAULT_LOCAL_DATA = ".chromoseg/s3";

export interface LocalBucketOptions {
  /** Where s3rver keeps the objects. */
  directory: string;
  /** @default LOCAL_BUCKET */
  bucket?: string;
  /** 0 picks a free port. @default 4568 (s3rver's) */
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
    port: options.port ?? 4568,
    silent: true,
    directory: options.directory,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
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
