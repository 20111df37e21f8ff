/**
 * The segment function's configuration contract: the environment variables infra/ sets and
 * handler.ts reads. Both take the names from here, so the two cannot drift.
 */
import { MODELS_PREFIX } from "./bucket-layout.js";
import { EnvironmentReader, under } from "./environment.js";

export interface SegmentEnvironment {
  /** The bucket holding uploads/, results/ and models/. */
  bucket: string;
  /** Key of the JSON pointer to the current model; under models/, the only models the function may read. */
  modelPointerKey: string;
}

/** The environment variable behind each setting (all strings, all required). */
export const SEGMENT_ENVIRONMENT = {
  bucket: "BUCKET_NAME",
  modelPointerKey: "MODEL_POINTER_KEY",
} as const satisfies Record<keyof SegmentEnvironment, string>;

/** Reads and checks the function's environment; throws one line naming every problem. */
export function readSegmentEnvironment(env: NodeJS.ProcessEnv = process.env): SegmentEnvironment {
  const reader = new EnvironmentReader("segment function", env);
  const bucket = reader.read(SEGMENT_ENVIRONMENT.bucket);
  const modelPointerKey = reader.read(SEGMENT_ENVIRONMENT.modelPointerKey, under(MODELS_PREFIX));
  reader.finish();
  return { bucket, modelPointerKey };
}
