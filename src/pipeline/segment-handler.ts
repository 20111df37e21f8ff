/**
 * The segment function's handler (lambdas/segment/handler.ts exports it; the local emulation
 * calls the same). S3 tells it of images uploaded under uploads/; it segments each into
 * results/<path after uploads/>/ (src/pipeline/segment-upload.ts). Bad input returns normally
 * with results/…/error.json, so Lambda does not retry a hopeless object; S3 faults throw, so
 * Lambda retries and finally sends the event to the failure queue. Each invocation's log keys are
 * reset and its metrics published when it returns or throws (with-powertools.ts).
 *
 * The S3 client takes its endpoint and credentials from the standard AWS configuration
 * (AWS_ENDPOINT_URL_S3 and the like), so the local emulation runs this same handler.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { S3Client } from "@aws-sdk/client-s3";
import type { Context, S3Event } from "aws-lambda";
import { DEFAULT_MODEL } from "../default-model.js";
import { decodeEventKey } from "./bucket-layout.js";
import { ModelSource, fallbackWarning } from "./model-source.js";
import { readSegmentEnvironment } from "./segment-environment.js";
import { segmentUpload } from "./segment-upload.js";
import type { UploadOutcome } from "./segment-upload.js";
import { withPowertools } from "./with-powertools.js";

const logger = new Logger({ serviceName: "chromoseg-segment" });
// its own warnings (such as "No application metrics to publish") go through the logger and its level
const metrics = new Metrics({ namespace: "chromoseg", serviceName: "segment", logger });

/** What lives as long as the container: the S3 client and the model, with its session. */
interface Runtime {
  s3: S3Client;
  models: ModelSource;
}
let runtime: Runtime | undefined;

function start(): Runtime {
  const environment = readSegmentEnvironment();
  const s3 = new S3Client({});
  const models = new ModelSource({
    s3,
    bucket: environment.bucket,
    pointerKey: environment.modelPointerKey,
    fallbackPath: DEFAULT_MODEL,
    onBrokenPointer: (problem) => {
      logger.warn(fallbackWarning(problem));
      metrics.addMetric("ModelPointerBroken", MetricUnit.Count, 1);
    },
  });
  return { s3, models };
}

export type SegmentHandler = (event: S3Event, context: Context) => Promise<UploadOutcome[]>;

/** The handler; its S3 client and model live in the module, as long as the container. */
export const segmentHandler: SegmentHandler = withPowertools({ logger, metrics }, async (event) => {
  runtime ??= start();
  const outcomes: UploadOutcome[] = [];
  try {
    for (const record of event.Records) {
      const { bucket, object } = record.s3;
      const key = decodeEventKey(object.key);
      logger.appendKeys({ key });
      const outcome = await segmentUpload(
        {
          bucket: bucket.name,
          key,
          size: object.size,
          versionId: object.versionId,
          eTag: object.eTag,
        },
        runtime,
      );
      recordOutcome(outcome);
      outcomes.push(outcome);
    }
  } catch (error) {
    metrics.addMetric("UploadsFailed", MetricUnit.Count, 1);
    logger.error("S3 or the model could not be reached; Lambda will retry", error as Error);
    throw error;
  }
  return outcomes;
});

function recordOutcome(outcome: UploadOutcome): void {
  switch (outcome.status) {
    case "skipped":
      logger.info(`skipped: ${outcome.reason}`);
      return;
    case "refused": {
      logger.warn(`refused: ${outcome.reason}`, { results: outcome.results });
      const refusal = metrics.singleMetric();
      refusal.addDimension("reason", outcome.kind);
      refusal.addMetric("ImagesRefused", MetricUnit.Count, 1);
      return;
    }
    case "segmented": {
      const { report } = outcome;
      logger.info("segmented", {
        results: outcome.results,
        mode: report.mode,
        overlapFound: report.overlapFound,
        modelVersion: report.modelVersion,
      });
      metrics.addMetric("ImagesSegmented", MetricUnit.Count, 1);
      metrics.addMetadata("modelVersion", report.modelVersion);
      const { decode, find, inference, encode } = report.timings;
      metrics.addMetric("DecodeTime", MetricUnit.Milliseconds, decode);
      if (find !== undefined) metrics.addMetric("FindTime", MetricUnit.Milliseconds, find);
      metrics.addMetric("InferenceTime", MetricUnit.Milliseconds, inference);
      metrics.addMetric("EncodeTime", MetricUnit.Milliseconds, encode);
    }
  }
}
