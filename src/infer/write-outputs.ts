/** Writes an image's segmentation outputs, or the reason it has none, to a folder. */
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomically } from "../files.js";
import type { SegmentOutputs } from "./segment-image.js";

/** The files of one image's results, written in this order: the report last. */
export const OUTPUT_FILES = {
  labels: "labels.png",
  overlay: "overlay.png",
  report: "report.json",
} as const;

/** Written instead of the outputs when an image is refused. */
export const ERROR_FILE = "error.json";

/**
 * Every file an image's results folder may hold. Each new result, outputs or error, first removes
 * them all, so a folder never mixes two runs.
 */
export const RESULT_FILES: readonly string[] = [...Object.values(OUTPUT_FILES), ERROR_FILE];

/** error.json: why an image has no outputs. */
export interface SegmentError {
  /** The input: a file path, or an upload's key. */
  image: string;
  /** One line, for a person. */
  reason: string;
}

/** The JSON of a report or an error, as both kinds of results folder hold it. */
export function resultJson(value: object): string {
  return JSON.stringify(value, null, 2);
}

/**
 * Replaces the results in `dir` with labels.png, overlay.png and report.json, each whole or not
 * at all. The report comes last, so a report always describes the pictures beside it.
 */
export async function writeSegmentOutputs(dir: string, outputs: SegmentOutputs): Promise<void> {
  await clearResults(dir);
  await writeFileAtomically(join(dir, OUTPUT_FILES.labels), outputs.labelsPng);
  await writeFileAtomically(join(dir, OUTPUT_FILES.overlay), outputs.overlayPng);
  await writeFileAtomically(join(dir, OUTPUT_FILES.report), resultJson(outputs.report));
}

/** Replaces the results in `dir` with error.json. */
export async function writeSegmentError(dir: string, error: SegmentError): Promise<void> {
  await clearResults(dir);
  await writeFileAtomically(join(dir, ERROR_FILE), resultJson(error));
}

async function clearResults(dir: string): Promise<void> {
  await Promise.all(RESULT_FILES.map((name) => rm(join(dir, name), { force: true })));
}
