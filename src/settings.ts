/**
 * chromoseg's runtime settings in one place: the folders, the port and the environment variables
 * its programs read, each with its default and the environment variable (if any) that overrides
 * it, in the manner of transformers.js's `env`. Read-only: a command-line option or a
 * constructor's option overrides a setting for one call, the environment variable for a process.
 *
 * Not here, because they have no default: the configuration contracts between infra/ and the
 * deployed code (the segment function's BUCKET_NAME and MODEL_POINTER_KEY in
 * pipeline/segment-environment.ts, the training job's in pipeline/training-environment.ts). Nor
 * the AWS SDK's own variables (AWS_REGION, AWS_ENDPOINT_URL_S3, credentials), which the SDK reads.
 *
 * No imports: the CLI's help, the training container's entrypoint and the preloaded peak-memory
 * reporter read it.
 */

/** The environment variable behind each setting that has one. */
export const SETTINGS_ENVIRONMENT = {
  trainingWorkDir: "WORK_DIR",
  peakRssFile: "CHROMOSEG_PEAK_RSS_FILE",
} as const;

export const SETTINGS = {
  /**
   * Where the segment function (on Lambda and under `chromoseg local`) keeps the models it
   * downloads, one file per sha256. Default `/tmp/chromoseg-models` (Lambda's only writable
   * disk); no environment variable (ModelSource's `cacheDir` overrides it).
   */
  modelCacheDir: "/tmp/chromoseg-models",

  /**
   * The training container's scratch folder: the downloaded dataset and the run's files. Default
   * `/tmp/chromoseg-training`; the environment variable WORK_DIR overrides it.
   */
  get trainingWorkDir(): string {
    return process.env[SETTINGS_ENVIRONMENT.trainingWorkDir] ?? "/tmp/chromoseg-training";
  },

  /**
   * Where `chromoseg local` and `chromoseg models --local` keep the local bucket's objects.
   * Default `.chromoseg/s3` (relative to the working folder); no environment variable (--data
   * and --local override it).
   */
  localBucketDir: ".chromoseg/s3",

  /**
   * The local S3's (s3rver's) port. Default 4568, s3rver's own; no environment variable (`chromoseg
   * local --port` overrides it; 0 picks a free port).
   */
  localS3Port: 4568,

  /**
   * What the segment function's Powertools logger and metrics are told under `chromoseg local`,
   * where their JSON lines (meant for CloudWatch) would drown the one line per upload: logs
   * SILENT, metrics disabled. Each applies unless its environment variable (POWERTOOLS_LOG_LEVEL,
   * POWERTOOLS_METRICS_DISABLED) is set already.
   */
  localFunctionEnvironment: {
    POWERTOOLS_LOG_LEVEL: "SILENT",
    POWERTOOLS_METRICS_DISABLED: "true",
  },

  /**
   * The file a process started by `chromoseg bench generate` writes its peak resident memory to
   * as it exits (cli/report-peak-memory.ts). Default none (nothing written); the environment
   * variable CHROMOSEG_PEAK_RSS_FILE sets it.
   */
  get peakRssFile(): string | undefined {
    return process.env[SETTINGS_ENVIRONMENT.peakRssFile] || undefined;
  },
} as const;
