/**
 * The AWS pipeline on one machine: s3rver as the bucket (its data in a local folder), and its
 * ObjectCreated events delivered as S3 would deliver them (keys URL-encoded, the trigger's prefix
 * and suffix filter) to the segment function's own handler, with a Lambda-like context, a timeout
 * and Lambda's asynchronous retries. The AWS SDK finds the local endpoint through the standard
 * configuration (AWS_ENDPOINT_URL_S3 and the credentials' variables), so the handler and the
 * training job run unmodified. On start, uploads that an earlier run took but never finished (it
 * was killed) are delivered as their events would have been.
 */
import { randomUUID } from "node:crypto";
import type { S3Client } from "@aws-sdk/client-s3";
import type { Context, S3Event, S3EventRecord } from "aws-lambda";
import { decodeEventKey, encodeEventKey, triggersSegmentation } from "./bucket-layout.js";
import { LOCAL_CREDENTIALS, LOCAL_REGION, startLocalBucket } from "./local-bucket.js";
import type { LocalBucket, LocalBucketOptions } from "./local-bucket.js";
import { MODEL_POINTER_KEY } from "./model-pointer.js";
import { SEGMENT_ENVIRONMENT } from "./segment-environment.js";
import type { SegmentHandler } from "./segment-handler.js";
import type { UploadOutcome } from "./segment-upload.js";
import { findUnfinishedUploads } from "./unfinished-uploads.js";
import type { ListedObject } from "./unfinished-uploads.js";

export interface LocalPipelineOptions extends LocalBucketOptions {
  /** The segment function's time limit per event. @default 60 */
  timeoutSeconds?: number;
  /** Lambda retries a failed asynchronous invocation this many times. @default 2 */
  retries?: number;
  /** Called with what the function did for each upload it handled (segmented, refused, skipped). */
  onOutcome?: (outcome: UploadOutcome) => void;
}

export interface DeliveryCounts {
  /** Uploads found on start without a complete result, and delivered. */
  recovered: number;
  /** Events that reached the handler's filter and were invoked (the recovered ones too). */
  delivered: number;
  succeeded: number;
  /** Events that failed every attempt. */
  failed: number;
}

export class LocalPipeline {
  readonly counts: DeliveryCounts = { recovered: 0, delivered: 0, succeeded: 0, failed: 0 };
  private queue: Promise<void> = Promise.resolve();
  private pending = 0;

  readonly endpoint: string;
  readonly bucket: string;

  private constructor(
    private readonly local: LocalBucket,
    private readonly handler: SegmentHandler,
    private readonly options: LocalPipelineOptions,
  ) {
    this.endpoint = local.endpoint;
    this.bucket = local.bucket;
  }

  /**
   * Starts the server, creates the bucket, points this process's AWS configuration at it and
   * delivers the uploads an earlier run left unfinished.
   */
  static async start(options: LocalPipelineOptions): Promise<LocalPipeline> {
    const local = await startLocalBucket(options);
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_S3: local.endpoint,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_REGION: LOCAL_REGION,
      [SEGMENT_ENVIRONMENT.bucket]: local.bucket,
      [SEGMENT_ENVIRONMENT.modelPointerKey]: MODEL_POINTER_KEY,
    });
    // loaded after the environment is set, as Lambda loads it into a configured container
    const { segmentHandler } = await import("./segment-handler.js");
    const pipeline = new LocalPipeline(local, segmentHandler, options);
    // s3rver is a Koa application, an EventEmitter its types leave out
    (local.server as unknown as NodeJS.EventEmitter).on("event", (event: S3Event) =>
      pipeline.receive(event),
    );
    // listed after the listener is on, so no upload falls between the two (one arriving while the
    // bucket is listed may come both ways; the function writes the same result twice)
    try {
      await pipeline.recover();
    } catch (error) {
      await local.close();
      throw error;
    }
    return pipeline;
  }

  /** A client for this bucket, configured as any S3 client would be for it. */
  client(): S3Client {
    return this.local.client();
  }

  /** Resolves once every event received so far has been handled (or has failed for good). */
  async idle(): Promise<void> {
    while (this.pending > 0) await this.queue;
  }

  async stop(): Promise<void> {
    await this.idle();
    await this.local.close();
  }

  private receive(event: S3Event): void {
    for (const record of event.Records) {
      const key = record.s3.object.key;
      // the notification's filter, as infra/ configures it
      if (!record.eventName.startsWith("ObjectCreated") || !triggersSegmentation(key)) continue;
      this.deliver(record);
    }
  }

  private async recover(): Promise<void> {
    const s3 = this.client();
    try {
      const unfinished = await findUnfinishedUploads(s3, this.bucket);
      for (const upload of unfinished) this.deliver(createdRecord(this.bucket, upload));
      this.counts.recovered = unfinished.length;
      if (unfinished.length)
        console.log(`local pipeline: recovered ${unfinished.length} uploads that had no result`);
    } finally {
      s3.destroy();
    }
  }

  /** Queues the record, its key as s3rver has it, for the handler. */
  private deliver(record: S3EventRecord): void {
    // S3 sends keys URL-encoded; s3rver sends them as they are
    const delivered: S3EventRecord = {
      ...record,
      s3: {
        ...record.s3,
        object: { ...record.s3.object, key: encodeEventKey(record.s3.object.key) },
      },
    };
    this.pending++;
    this.counts.delivered++;
    this.queue = this.queue.then(() => this.invoke(delivered)).finally(() => this.pending--);
  }

  /** One event, with Lambda's asynchronous retries. */
  private async invoke(record: S3EventRecord): Promise<void> {
    const attempts = 1 + (this.options.retries ?? 2);
    let lastError = new Error("not attempted");
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const outcomes = await this.withTimeout((context) =>
          this.handler({ Records: [record] }, context),
        );
        this.counts.succeeded++;
        for (const outcome of outcomes) this.options.onOutcome?.(outcome);
        return;
      } catch (error) {
        lastError = error as Error;
      }
    }
    this.counts.failed++;
    console.error(
      `local pipeline: ${decodeEventKey(record.s3.object.key)} failed ${attempts} times: ${lastError.message}`,
    );
  }

  private async withTimeout<T>(run: (context: Context) => Promise<T>): Promise<T> {
    const timeout = (this.options.timeoutSeconds ?? 60) * 1000;
    const deadline = Date.now() + timeout;
    const context = {
      awsRequestId: randomUUID(),
      functionName: "chromoseg-segment-local",
      functionVersion: "$LATEST",
      memoryLimitInMB: "2048",
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    } as Context;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Task timed out after ${timeout / 1000} seconds`)),
        timeout,
      );
    });
    try {
      return await Promise.race([run(context), expired]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The ObjectCreated record S3 would have sent for an object already in the bucket. */
function createdRecord(bucket: string, object: ListedObject): S3EventRecord {
  return {
    eventVersion: "2.1",
    eventSource: "aws:s3",
    awsRegion: LOCAL_REGION,
    eventTime: new Date().toISOString(),
    eventName: "ObjectCreated:Put",
    userIdentity: { principalId: "chromoseg-local" },
    requestParameters: { sourceIPAddress: "127.0.0.1" },
    responseElements: { "x-amz-request-id": randomUUID(), "x-amz-id-2": randomUUID() },
    s3: {
      s3SchemaVersion: "1.0",
      configurationId: "recovered",
      bucket: {
        name: bucket,
        ownerIdentity: { principalId: "chromoseg-local" },
        arn: `arn:aws:s3:::${bucket}`,
      },
      object: {
        key: object.key,
        size: object.size,
        eTag: object.eTag ?? "",
        sequencer: Date.now().toString(16).toUpperCase(),
      },
    },
  };
}
