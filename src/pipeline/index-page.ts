/**
 * out/index.html of `chromoseg local`: each input beside its overlay, with the figures of its
 * report. Self-contained (relative links to the PNGs beside it), no scripts.
 */
import { CLASS_NAMES, PALETTE } from "../classes.js";
import { totalMilliseconds } from "../infer/segment-image.js";
import type { UploadReport } from "./segment-upload.js";

export interface PageEntry {
  /** The upload's name (its path under uploads/). */
  name: string;
  /** Relative paths from the page. */
  input: string;
  overlay: string;
  report: string;
  /** Slide mode: chromosomes.json, the chromosomes in COCO format. */
  chromosomes?: string;
  /** The report, or why there is none. */
  result: UploadReport | { error: string };
}

export function renderIndexPage(entries: PageEntry[], title: string): string {
  const legend = CLASS_NAMES.slice(1)
    .map(
      (name, i) =>
        `<span class="swatch" style="background: rgb(${PALETTE[i + 1].join(",")})"></span>${name}`,
    )
    .join(" ");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escape(title)}</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 2rem; background: #fafafa; color: #222; }
  section { background: white; border: 1px solid #ddd; border-radius: 6px; padding: 1rem; margin-bottom: 1.5rem; }
  /* input and overlay share a row, each half of it, small crops scaled up */
  .pair { display: flex; gap: 1rem; }
  figure { margin: 0; flex: 1 1 0; min-width: 0; }
  img { width: 100%; height: auto; image-rendering: pixelated; border: 1px solid #ccc; background: black; }
  figcaption { font-size: 0.85rem; color: #555; }
  table { border-collapse: collapse; font-size: 0.9rem; margin-top: 0.5rem; }
  td, th { padding: 0.15rem 0.6rem; text-align: left; }
  .swatch { display: inline-block; width: 0.9em; height: 0.9em; margin: 0 0.3em 0 0.8em; vertical-align: middle; }
  .error { color: #b00020; }
</style>
</head>
<body>
<h1>${escape(title)}</h1>
<p>Overlay colours, crop mode: ${legend}. Slide mode: a colour per chromosome, overlaps outlined in white.</p>
${entries.map(section).join("\n")}
</body>
</html>
`;
}

function section(entry: PageEntry): string {
  const { result } = entry;
  if ("error" in result)
    return `<section><h2>${escape(entry.name)}</h2><p class="error">${escape(result.error)}</p></section>`;
  const rows: [string, string][] = [
    [
      "size",
      `${result.width} × ${result.height} (${result.scaling}${result.luminance ? ", colour as luminance" : ""})`,
    ],
    ["mode", result.mode + (result.tta ? " + test-time augmentation" : "")],
    ["overlap found", result.overlapFound ? "yes" : "no"],
    ...CLASS_NAMES.map((name): [string, string] => [`${name} pixels`, String(result.pixels[name])]),
    ["model", `${result.modelVersion} (${result.model.sha256.slice(0, 12)})`],
    ["time", `${totalMilliseconds(result).toFixed(0)} ms`],
  ];
  if (result.objects) {
    const segmented = result.objects.filter((o) => o.segmented);
    const resolved = segmented.filter((o) => o.crossingResolved).length;
    rows.splice(
      2,
      0,
      ["chromosomes", String(result.chromosomeCount ?? "—")],
      ["crossings resolved", String(resolved)],
      [
        "objects",
        `${result.objects.length} found, ${segmented.length} segmented, ${segmented.filter((o) => o.overlapping).length} overlapping`,
      ],
      ...(result.unresolved ?? []).map(({ object, reason }): [string, string] => [
        `object ${object}`,
        reason,
      ]),
    );
  }
  return `<section>
<h2>${escape(entry.name)}</h2>
<div class="pair">
<figure><img src="${attr(entry.input)}" alt="input"><figcaption>input</figcaption></figure>
<figure><img src="${attr(entry.overlay)}" alt="overlay"><figcaption>overlay</figcaption></figure>
</div>
<table>${rows.map(([k, v]) => `<tr><th>${escape(k)}</th><td>${escape(v)}</td></tr>`).join("")}</table>
<p><a href="${attr(entry.report)}">report.json</a>${entry.chromosomes ? ` · <a href="${attr(entry.chromosomes)}">chromosomes.json</a> (COCO)` : ""}</p>
</section>`;
}

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function attr(path: string): string {
  return escape(path.split("/").map(encodeURIComponent).join("/")).replace(/"/g, "&quot;");
}
