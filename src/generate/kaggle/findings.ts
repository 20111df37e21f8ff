/**
 * What the `kaggle` preset found at each step, how it is printed and stored, and how it compares
 * with the published slides' figures in docs/dataset-recipe.md.
 */
import { OVERLAP_LABEL } from "./assemble.js";
import type { PairingFindings } from "./assemble.js";
import { ROTATION_DEGREES, SHIFT_FRACTIONS } from "./overlaps.js";
import { PUBLISHED_FIGURES } from "./published-figures.js";
import type { KaggleFindings } from "./segment.js";

export interface KagglePresetFindings extends KaggleFindings, PairingFindings {
  /** Pixels per label value over the whole set, as the file holds it (cleaned or raw). */
  labelValues: Map<number, number>;
  /** The same before cleaning: the labels as generated. */
  rawLabelValues: Map<number, number>;
  /** With cleaned labels: the samples that had an overlap pixel before cleaning and none after. */
  overlapsLostInCleaning?: number;
  grey: { min: number; max: number };
}

/** Pixels per label value, ascending by value. */
export function labelCounts(labels: Int8Array): Map<number, number> {
  const counts = new Map<number, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  return new Map([...counts].sort(([a], [b]) => a - b));
}

/** The smallest and the largest grey value (of at least one). */
export function greyRange(grey: Int16Array): { min: number; max: number } {
  let min = grey[0];
  let max = grey[0];
  for (const value of grey) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return { min, max };
}

function listed(counts: Map<number, number>, separator: string, joiner: string): string {
  return [...counts].map(([value, pixels]) => `${value}${separator}${pixels}`).join(joiner);
}

/** One line per step. */
export function describeFindings(findings: KagglePresetFindings): string[] {
  const { frame, sampleFrame, replaced } = findings;
  const collisions = replaced.length
    ? ` (object ${replaced.join(", ")} replaced by a later one of the same area)`
    : "";
  return [
    `steps 1–4: ${findings.objects} objects segmented`,
    `step 5: ${findings.distinctAreas} distinct areas${collisions}; centred in ${frame.height} × ${frame.width}; ` +
      `${findings.keptAreas.length} kept, areas ${findings.keptAreas.join(", ")} (decimated ${findings.decimatedAreas.join(", ")})`,
    `step 6: ${findings.pairs} pairs`,
    `steps 7–8: ${findings.candidates} candidates (${ROTATION_DEGREES.length} × ${ROTATION_DEGREES.length} rotations, ` +
      `${SHIFT_FRACTIONS.length ** 2} shifts per pair)`,
    `step 9: ${findings.samples} samples with an overlap, ${sampleFrame.height} × ${sampleFrame.width}`,
    `labels: ${listed(findings.labelValues, ": ", ", ")} pixels; grey ${findings.grey.min} to ${findings.grey.max}`,
    ...(findings.overlapsLostInCleaning === undefined
      ? []
      : [
          `raw labels: ${listed(findings.rawLabelValues, ": ", ", ")} pixels`,
          `cleaning: ${findings.overlapsLostInCleaning} of ${findings.samples} samples lost their overlap (label ${OVERLAP_LABEL})`,
        ]),
  ];
}

/** Flat attributes for the HDF5 file. */
export function findingsAttributes(
  findings: KagglePresetFindings,
): Record<string, string | number> {
  return {
    objects: findings.objects,
    distinct_areas: findings.distinctAreas,
    object_frame: `${findings.frame.height}x${findings.frame.width}`,
    kept_areas: findings.keptAreas.join(","),
    decimated_areas: findings.decimatedAreas.join(","),
    pairs: findings.pairs,
    candidates: findings.candidates,
    samples: findings.samples,
    frame: `${findings.sampleFrame.height}x${findings.sampleFrame.width}`,
    label_values: listed(findings.labelValues, ":", ","),
    ...(findings.overlapsLostInCleaning === undefined
      ? {}
      : {
          raw_label_values: listed(findings.rawLabelValues, ":", ","),
          overlaps_lost_in_cleaning: findings.overlapsLostInCleaning,
        }),
    grey_min: findings.grey.min,
    grey_max: findings.grey.max,
  };
}

/** Whether the sources are the published slides, whose figures docs/dataset-recipe.md gives. */
export function isPublishedSource(dapiSha256: string, cy3Sha256: string): boolean {
  return dapiSha256 === PUBLISHED_FIGURES.dapiSha256 && cy3Sha256 === PUBLISHED_FIGURES.cy3Sha256;
}

/** How the findings compare with the figures of docs/dataset-recipe.md, in lines to print. */
export function compareWithPublished(
  findings: KagglePresetFindings,
  publishedSource: boolean,
): string[] {
  if (!publishedSource) return ["(not the published slides: the published figures do not apply)"];
  const differences = differencesFromPublished(findings);
  if (!differences.length) {
    const { samples, frame } = PUBLISHED_FIGURES;
    return [
      `as the published recipe (docs/dataset-recipe.md), figure for figure: ${samples} samples of ${frame.height} × ${frame.width}`,
    ];
  }
  return [
    "differs from the published recipe (docs/dataset-recipe.md; the earliest step listed is the likely cause):",
    ...differences.map((line) => `  ${line}`),
  ];
}

/**
 * Each figure that differs from docs/dataset-recipe.md's, by how much and from which step; the
 * earliest step that differs is the likely cause of the others. Empty when all agree.
 */
function differencesFromPublished(findings: KagglePresetFindings): string[] {
  const published = PUBLISHED_FIGURES;
  const checks: [string, number | string, number | string, string][] = [
    [
      "objects",
      findings.objects,
      published.objects,
      "steps 1–3 (crop, 8-bit division, top-hats, local threshold, opening, border clearing)",
    ],
    [
      "distinct areas",
      findings.distinctAreas,
      published.distinctAreas,
      "step 4 (the grey image whose > 0 pixels are the areas)",
    ],
    [
      "kept areas",
      findings.keptAreas.join(", "),
      published.keptAreas.join(", "),
      "steps 4–5 (grey image, selection by area)",
    ],
    [
      "decimated areas",
      findings.decimatedAreas.join(", "),
      published.decimatedAreas.join(", "),
      "step 5 (centring before decimation)",
    ],
    ["pairs", findings.pairs, published.pairs, "step 6 (pairs)"],
    ["candidates", findings.candidates, published.candidates, "steps 7–8 (rotations, shifts)"],
    [
      "samples",
      findings.samples,
      published.samples,
      "steps 7–8 (the spline rotation and its rounding, the placement) or 9 (the overlap filter)",
    ],
    [
      "frame",
      `${findings.sampleFrame.height} × ${findings.sampleFrame.width}`,
      `${published.frame.height} × ${published.frame.width}`,
      "step 7 (rotated sizes) or 9 (padding)",
    ],
    [
      "label 4 pixels",
      findings.rawLabelValues.get(4) ?? 0,
      published.label4Pixels,
      "step 7 (the spline's rounding of the masks)",
    ],
    [
      "grey maximum",
      findings.grey.max,
      published.greyMax,
      "step 7 (the spline's rounding of the grey) or 8 (sums)",
    ],
  ];
  return checks
    .filter(([, ours, theirs]) => ours !== theirs)
    .map(
      ([name, ours, theirs, step]) =>
        `${name}: ${ours}, published recipe ${theirs}${by(ours, theirs)}; from ${step}`,
    );
}

function by(ours: number | string, theirs: number | string): string {
  if (typeof ours !== "number" || typeof theirs !== "number") return "";
  const difference = ours - theirs;
  return ` (${difference > 0 ? "+" : ""}${difference}, ${((100 * difference) / theirs).toFixed(2)} %)`;
}
