/** Writes an image's segmentation outputs, or the reason it has none, to a folder. */
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomically } from "../files.js";
import type { SegmentOutputs } from "./segment-image.js";

/** The files of one image's results, written in this order: the report last. */
export const OUTPUT_FILES = {
  labels: "labels.png",
  overlay: "overlay.png",
  /** Slide mode only. */
  chromosomes: "chromosomes.json",
  report: "report.json",
} as const;

/** What an image's results hold besides its report, as resultFiles lists them. */
export const PICTURE_FILES = [OUTPUT_FILES.labels, OUTPUT_FILES.overlay, OUTPUT_FILES.chromosomes];

export interface ResultFile {
  name: string;
  data: string | Uint8Array;
  contentType: string;
}

/**
 * The files of one image's results, in the order they must be written: the report last, so a
 * report always describes the files beside it. `report` replaces the outputs' own (a caller's
 * report with more fields).
 */
export function resultFiles(
  outputs: SegmentOutputs,
  report: object = outputs.report,
): ResultFile[] {
  return [
    { name: OUTPUT_FILES.labels, data: outputs.labelsPng, contentType: "image/png" },
    { name: OUTPUT_FILES.overlay, data: outputs.overlayPng, contentType: "image/png" },
    ...(outputs.chromosomes
      ? [
          {
            name: OUTPUT_FILES.chromosomes,
            data: JSON.stringify(outputs.chromosomes),
            contentType: "application/json",
          },
        ]
      : []),
    { name: OUTPUT_FILES.report, data: resultJson(report), contentType: "application/json" },
  ];
}

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
  PICTURE_FILES,
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

/** Replaces the results in `dir` with the files of `resultFiles`, each whole or not at all. */
export async function writeSegmentOutputs(dir: string, outputs: SegmentOutputs): Promise<void> {
  await clearFolder(dir);
  for (const file of resultFiles(outputs))
    await writeFileAtomically(join(dir, file.name), file.data);
}

/** Replaces the results in `dir` with error.json. */
export async function writeSegmentError(dir: string, error: SegmentError): Promise<void> {
  await clearFolder(dir);
  await writeFileAtomically(join(dir, ERROR_FILE), resultJson(error));
}

function clearFolder(dir: string): Promise<void> {
  return clearResults((name) => rm(join(dir, name), { force: true }));
}
