import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Command } from "commander";
import sharp from "sharp";
import { UserError } from "../errors.js";
import { DEFAULT_RADIUS, scoreSlide } from "../evaluate/score-slide.js";
import type { SlideScore } from "../evaluate/score-slide.js";
import { readSlideAnnotations } from "../evaluate/slide-annotations.js";
import type { SlideAnnotation } from "../evaluate/slide-annotations.js";
import { OUTPUT_FILES } from "../infer/write-outputs.js";
import { percent, table } from "../format.js";
import { examples, positive } from "./options.js";

interface EvaluateSlidesFlags {
  annotations: string;
  radius: number;
  json?: boolean;
}

export function evaluateSlidesCommand(): Command {
  return new Command("evaluate-slides")
    .summary("measure slide mode against crossings annotated by eye")
    .description(
      "Compare the results of `chromoseg segment` on whole slides with point annotations (docs/slide-annotations.md): " +
        "for every annotated slide, <results>/<image>/labels.png and report.json are read. A crossing counts as " +
        "found when an overlap pixel lies within --radius of its point; an overlap region (8-connected pixels " +
        "labelled 3) is false when no annotated crossing or uncertain point lies within --radius of it " +
        "(those near a point annotated as touching are counted apart); the count error is the report's " +
        "chromosomeCount minus the annotated one, where both exist.",
    )
    .argument("<results>", "the --out folder of chromoseg segment")
    .requiredOption("-a, --annotations <file.json>", "point annotations of the slides")
    .option(
      "-r, --radius <px>",
      "how near an overlap must come to an annotated point, full-resolution pixels",
      positive(),
      DEFAULT_RADIUS,
    )
    .option("--json", "print every figure as one JSON object")
    .addHelpText(
      "after",
      examples(
        "chromoseg segment ../shared/data/metaphases/ --out out/slides",
        "chromoseg evaluate-slides out/slides --annotations test/fixtures/slide-annotations.json",
      ),
    )
    .action(async (results: string, flags: EvaluateSlidesFlags) => {
      const annotations = await readSlideAnnotations(flags.annotations);
      const scores: SlideScore[] = [];
      for (const slide of annotations.slides)
        scores.push(await scoreResults(join(results, slide.image), slide, flags.radius));
      const totals = summarize(scores);
      if (flags.json) {
        console.log(JSON.stringify({ radius: flags.radius, slides: scores, totals }));
        return;
      }
      console.log(
        table([
          ["slide", "crossings found", "overlap regions", "false", "at touching", "count error"],
          ...scores.map((s) => [
            s.image,
            `${s.found} of ${s.crossings}`,
            s.overlapRegions,
            s.falseRegions.length,
            s.falseAtTouching,
            s.countError === null ? "—" : signed(s.countError),
          ]),
        ]),
      );
      console.log(
        `\ncrossings found: ${totals.found} of ${totals.crossings}` +
          (totals.crossings ? ` (${percent(totals.found / totals.crossings)})` : "") +
          `; false overlap regions: ${totals.falseRegions} on ${scores.length} slides ` +
          `(${(totals.falseRegions / scores.length).toFixed(2)} a slide)` +
          (totals.countedSlides
            ? `; count error: mean |error| ${totals.meanAbsCountError!.toFixed(1)} over ${totals.countedSlides} slides`
            : "; count error: no chromosomeCount in the reports"),
      );
      for (const s of scores) {
        for (const m of s.missed) console.log(`${s.image}: missed crossing at (${m.x}, ${m.y})`);
        for (const f of s.falseRegions)
          console.log(`${s.image}: false overlap at (${f.x}, ${f.y}), ${f.area} px`);
      }
    });
}

async function scoreResults(
  folder: string,
  annotation: SlideAnnotation,
  radius: number,
): Promise<SlideScore> {
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
  const reportFile = join(folder, OUTPUT_FILES.report);
  let report: { chromosomeCount?: number };
  try {
    report = JSON.parse(await readFile(reportFile, "utf8")) as typeof report;
  } catch {
    throw new UserError(`${annotation.image}: no readable ${reportFile} beside ${labelsFile}`);
  }
  return scoreSlide(decoded.data, width, height, annotation, report.chromosomeCount ?? null, {
    radius,
  });
}

function summarize(scores: SlideScore[]) {
  const counted = scores.filter((s) => s.countError !== null);
  return {
    crossings: sum(scores.map((s) => s.crossings)),
    found: sum(scores.map((s) => s.found)),
    falseRegions: sum(scores.map((s) => s.falseRegions.length)),
    countedSlides: counted.length,
    meanAbsCountError: counted.length
      ? sum(counted.map((s) => Math.abs(s.countError!))) / counted.length
      : null,
  };
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function signed(value: number): string {
  return value > 0 ? `+${value}` : String(value);
}
