/** Writes an image's segmentation outputs to a folder. */
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

/**
 * Writes labels.png, overlay.png and report.json into `dir`, each whole or not at all. An older
 * report is removed first and the new one written last, so a report always describes the
 * pictures beside it.
 */
export async function writeSegmentOutputs(dir: string, outputs: SegmentOutputs): Promise<void> {
  await rm(join(dir, OUTPUT_FILES.report), { force: true });
  await writeFileAtomically(join(dir, OUTPUT_FILES.labels), outputs.labelsPng);
  await writeFileAtomically(join(dir, OUTPUT_FILES.overlay), outputs.overlayPng);
  await writeFileAtomically(
    join(dir, OUTPUT_FILES.report),
    JSON.stringify(outputs.report, null, 2),
  );
}
