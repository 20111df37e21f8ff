/**
 * Reads what `chromoseg segment` wrote for one slide (labels.png, report.json and, where clumps
 * are annotated, chromosomes.json) into what scoring a slide needs, with an error naming the file
 * for anything missing.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import sharp from "sharp";
import { UserError } from "../errors.js";
import { runPixels } from "../infer/coco.js";
import type { CocoDataset } from "../infer/coco.js";
import { OUTPUT_FILES } from "../infer/write-outputs.js";
import type { ReportedSlide } from "./score-slide.js";
import type { SlideAnnotation } from "./slide-annotations.js";

export interface SlideResults {
  /** labels.png's values 0–3, row-major. */
  labels: Uint8Array;
  width: number;
  height: number;
  reported: ReportedSlide;
}

/** `folder` is <results>/<image>/; the annotation names the slide in errors and fixes its size. */
export async function readSlideResults(
  folder: string,
  annotation: SlideAnnotation,
): Promise<SlideResults> {
  const labelsFile = join(folder, OUTPUT_FILES.labels);
  let decoded: { data: Buffer; info: { width: number; height: number } };
  try {
    decoded = await sharp(labelsFile).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  } catch {
    throw new UserError(
      `${annotation.image}: no readable ${labelsFile}; segment the slide first (chromoseg segment … --out <results>)`,
    );
  }
  const { width, height } = decoded.info;
  if (
    annotation.width !== undefined &&
    (annotation.width !== width || annotation.height !== height)
  )
    throw new UserError(
      `${annotation.image}: annotated as ${annotation.width} × ${annotation.height}, but ${labelsFile} is ${width} × ${height}`,
    );
  const report = await readJson<{ chromosomeCount?: number }>(
    folder,
    OUTPUT_FILES.report,
    annotation,
  );
  const objectOf = new Int32Array(width * height);
  const chromosomesIn = new Map<number, number>();
  // only clumps need the chromosomes, so results written before chromosomes.json existed still score
  if (annotation.clumps?.length) {
    const coco = await readJson<CocoDataset>(folder, OUTPUT_FILES.chromosomes, annotation);
    for (const chromosome of coco.annotations) {
      const [h, w] = chromosome.segmentation.size;
      if (w !== width || h !== height)
        throw new UserError(
          `${annotation.image}: ${join(folder, OUTPUT_FILES.chromosomes)} is for ${w} × ${h}, but ${labelsFile} is ${width} × ${height}`,
        );
      for (const p of runPixels(chromosome.segmentation)) objectOf[p] = chromosome.object_id;
      chromosomesIn.set(chromosome.object_id, (chromosomesIn.get(chromosome.object_id) ?? 0) + 1);
    }
  }
  return {
    labels: decoded.data,
    width,
    height,
    reported: { chromosomeCount: report.chromosomeCount ?? null, objectOf, chromosomesIn },
  };
}

async function readJson<T>(folder: string, name: string, annotation: SlideAnnotation): Promise<T> {
  const file = join(folder, name);
  try {
    return JSON.parse(await readFile(file, "utf8")) as T;
  } catch {
    throw new UserError(
      `${annotation.image}: no readable ${file}; evaluate-slides reads the results of chromoseg segment in slide mode`,
    );
  }
}
