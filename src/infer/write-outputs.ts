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
 * Every file an image's results folder may hold, in the order a new result (outputs or error)
 * removes them before it is written: first the files that say a result is complete (report.json,
 * error.json), then the pictures, so that a run stopped halfway never leaves an old report beside
 * missing or new pictures.
 */
export const RESULT_FILES_TO_CLEAR: readonly (readonly string[])[] = [
  [OUTPUT_FILES.report, ERROR_FILE],
  [OUTPUT_FILES.labels, OUTPUT_FILES.overlay],
];

/** Removes the results of one image, in the order of `RESULT_FILES_TO_CLEAR`. */
export async function clearResults(remove: (name: string) => Promise<unknown>): Promise<void> {
  for (const files of RESULT_FILES_TO_CLEAR) await Promise.all(files.map(remove));
}

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
  await clearFolder(dir);
  await writeFileAtomically(join(dir, OUTPUT_FILES.labels), outputs.labelsPng);
  await writeFileAtomically(join(dir, OUTPUT_FILES.overlay), outputs.overlayPng);
  await writeFileAtomically(join(dir, OUTPUT_FILES.report), resultJson(outputs.report));
}

/** Replaces the results in `dir` with error.json. */
export async function writeSegmentError(dir: string, error: SegmentError): Promise<void> {
  await clearFolder(dir);
  await writeFileAtomically(join(dir, ERROR_FILE), resultJson(error));
}

function clearFolder(dir: string): Promise<void> {
  return clearResults((name) => rm(join(dir, name), { force: true }));
}
