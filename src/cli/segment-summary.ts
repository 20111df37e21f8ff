import { totalMilliseconds } from "../infer/segment-image.js";
import type { SegmentReport } from "../infer/segment-image.js";
import { table } from "../format.js";

/** One line per segmented image: size, mode, objects, overlap, time; then a note for each multi-page file. */
export function printSegmentSummary(reports: SegmentReport[]): void {
  console.log(
    table([
      ["image", "size", "mode", "objects", "overlapping", "overlap", "ms"],
      ...reports.map((r) => {
        const segmented = r.objects?.filter((o) => o.segmented) ?? [];
        return [
          r.image,
          `${r.width} × ${r.height}`,
          r.mode + (r.tta ? " + tta" : ""),
          r.objects ? `${segmented.length} of ${r.objects.length}` : "-",
          r.objects ? segmented.filter((o) => o.overlapping).length : "-",
          r.overlapFound ? "yes" : "no",
          totalMilliseconds(r).toFixed(0),
        ];
      }),
    ]),
  );
  for (const r of reports)
    if (r.pages) console.log(`${r.image}: ${r.pages} pages; the first was segmented`);
}
