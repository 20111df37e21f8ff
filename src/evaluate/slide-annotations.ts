/**
 * Point annotations of whole slides, made by eye, against which slide mode is measured: per
 * slide the crossings (one point in the overlap of two chromosomes), optionally the chromosome
 * count and the chromosomes of each clump, and points that explain other marks. The format is documented in docs/slide-annotations.md.
 */
import { readFile } from "node:fs/promises";
import { UserError } from "../errors.js";

export const ANNOTATION_FORMAT = "chromoseg-slide-annotations/1";

/** A point in full-resolution slide pixels: x to the right, y down, origin top-left. */
export interface AnnotatedPoint {
  x: number;
  y: number;
  note?: string;
}

/** Chromosomes that touch or cross so that they form one connected object: a point on it. */
export interface AnnotatedClump extends AnnotatedPoint {
  /** How many chromosomes the clump holds, 2 or more. */
  chromosomes: number;
}

export interface SlideAnnotation {
  /** The slide's file name, as `chromoseg segment` names its results folder. */
  image: string;
  width?: number;
  height?: number;
  /** Metaphase chromosomes (nuclei and debris excluded), when counted. */
  chromosomeCount?: number;
  chromosomeCountUncertainty?: number;
  /** One point inside each place where one chromosome lies over another. */
  crossings: AnnotatedPoint[];
  /** Chromosomes that touch without crossing: an overlap found there is a false one. */
  touching?: AnnotatedPoint[];
  /** Places the annotator could not decide: an overlap found there counts neither way. */
  uncertain?: AnnotatedPoint[];
  /** Clumps with their chromosomes, so that a count's errors cannot cancel between objects. */
  clumps?: AnnotatedClump[];
  /** Interphase nuclei, for reference. */
  nuclei?: AnnotatedPoint[];
}

export interface SlideAnnotations {
  format: typeof ANNOTATION_FORMAT;
  annotator?: string;
  slides: SlideAnnotation[];
}

export async function readSlideAnnotations(file: string): Promise<SlideAnnotations> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(`${file}: ${code ? `cannot read (${code})` : "not valid JSON"}`);
  }
  return parseSlideAnnotations(value, file);
}

/** Checks the shape of annotations; throws a UserError naming the first thing wrong. */
export function parseSlideAnnotations(value: unknown, source: string): SlideAnnotations {
  const fail = (what: string): never => {
    throw new UserError(`${source}: ${what} (see docs/slide-annotations.md)`);
  };
  const record = value as Partial<SlideAnnotations> | null;
  if (record?.format !== ANNOTATION_FORMAT) fail(`"format" must be "${ANNOTATION_FORMAT}"`);
  if (!Array.isArray(record!.slides) || record!.slides.length === 0)
    fail(`"slides" must list at least one slide`);
  const names = new Set<string>();
  record!.slides!.forEach((slide, k) => {
    const at = `slides[${k}]`;
    if (typeof slide?.image !== "string" || !slide.image)
      fail(`${at}.image must be the slide's file name`);
    if (names.has(slide.image)) fail(`${at}: ${slide.image} is annotated twice`);
    names.add(slide.image);
    if (!Array.isArray(slide.crossings))
      fail(`${at}.crossings must be a list of points (empty for none)`);
    for (const list of ["crossings", "touching", "uncertain", "clumps", "nuclei"] as const) {
      (slide[list] ?? []).forEach((point, j) => {
        if (!Number.isFinite(point?.x) || !Number.isFinite(point?.y))
          fail(`${at}.${list}[${j}] needs numbers x and y`);
      });
    }
    (slide.clumps ?? []).forEach(({ chromosomes }, j) => {
      if (!(Number.isInteger(chromosomes) && chromosomes >= 2))
        fail(`${at}.clumps[${j}].chromosomes must be a whole number, 2 or more`);
    });
    const count = slide.chromosomeCount;
    if (count !== undefined && !(Number.isInteger(count) && count >= 0))
      fail(`${at}.chromosomeCount must be a whole number`);
  });
  return record as SlideAnnotations;
}
