/**
 * The model pointer: the JSON object at models/latest.json that names the model the segment
 * function uses. Its key, its shape, the check every reader makes (the segment function's model
 * source, the registry behind `chromoseg models`) and the text every writer writes live here and
 * nowhere else. Keep it free of heavy imports: `cdk synth` loads it for the key.
 */
import { UserError } from "../errors.js";
import { MODELS_PREFIX } from "./bucket-layout.js";

/** Where the pointer lives; the training job (through the quality gate) and `chromoseg models promote` rewrite it. */
export const MODEL_POINTER_KEY = `${MODELS_PREFIX}latest.json`;

/** The JSON object at models/latest.json. */
export interface ModelPointer {
  /** A name for the version, e.g. `2026-11-26T20-15-03Z`. */
  version: string;
  /** The ONNX file's key, under models/. */
  key: string;
  /** sha256 of the ONNX file, 64 lower-case hex digits. */
  sha256: string;
  /** Anything else the publisher records (metrics, data hash). */
  metadata?: Record<string, unknown>;
}

/**
 * What is wrong with `value` as the pointer read from `key`, in one line that starts with the key,
 * or undefined when nothing is: not an object; version, key or sha256 missing (or not a non-empty
 * string); a model key outside models/; a sha256 that is not 64 lower-case hex digits (what
 * sha256 gives, and what the model's bytes are compared with); metadata that is not an object.
 */
export function modelPointerProblem(
  value: unknown,
  key: string = MODEL_POINTER_KEY,
): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return `${key} is not a JSON object`;
  const fields = value as Partial<Record<keyof ModelPointer, unknown>>;
  for (const field of ["version", "key", "sha256"] as const) {
    if (typeof fields[field] !== "string" || !fields[field]) return `${key} has no ${field}`;
  }
  const pointer = value as ModelPointer;
  if (!pointer.key.startsWith(MODELS_PREFIX))
    return `${key} names ${pointer.key}, which is not under ${MODELS_PREFIX}`;
  if (!/^[0-9a-f]{64}$/.test(pointer.sha256))
    return `${key} has a sha256 that is not 64 lower-case hex digits (${pointer.sha256})`;
  const { metadata } = pointer as { metadata?: unknown };
  if (
    metadata !== undefined &&
    (typeof metadata !== "object" || metadata === null || Array.isArray(metadata))
  )
    return `${key} has metadata that is not a JSON object`;
  return undefined;
}

/** The pointer in `text`, read from `key`, or what is wrong with it (see `modelPointerProblem`). */
export function parseModelPointer(
  text: string,
  key: string = MODEL_POINTER_KEY,
): ModelPointer | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return `${key} is not JSON`;
  }
  return modelPointerProblem(value, key) ?? (value as ModelPointer);
}

/** What a reader that cannot go on without the pointer says about a broken one (a UserError's message). */
export function brokenPointerError(problem: string, version = "<version>"): string {
  return `${problem} (chromoseg models promote ${version} --force replaces it)`;
}

/** The text the pointer is written as; a pointer that no reader would accept throws instead. */
export function formatModelPointer(pointer: ModelPointer, key: string = MODEL_POINTER_KEY): string {
  const problem = modelPointerProblem(pointer, key);
  if (problem) throw new UserError(`not written: ${problem}`);
  return JSON.stringify(pointer, null, 2);
}
