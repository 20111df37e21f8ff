import { join } from "node:path";
import { Command } from "commander";
import { readSlideResults } from "../evaluate/read-slide-results.js";
import { DEFAULT_RADIUS, scoreSlide } from "../evaluate/score-slide.js";
import type { ClumpScore, SlideScore } from "../evaluate/score-slide.js";
import { readSlideAnnotations } from "../evaluate/slide-annotations.js";
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
        "for every annotated slide, <results>/<image>/labels.png and report.json are read (and chromosomes.json where clumps are annotated). A crossing counts as " +
        "found when an overlap pixel lies within --radius of its point; an overlap region (8-connected pixels " +
        "labelled 3) is false when no annotated crossing or uncertain point lies within --radius of it " +
        "(those near a point annotated as touching are counted apart); the count error is the report's " +
        "chromosomeCount minus the annotated one, where both exist; an annotated clump is counted right when the " +
        "object of the chromosome nearest its point (within --radius) holds as many chromosomes as annotated.",
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
      for (const slide of annotations.slides) {
        const { labels, width, height, reported } = await readSlideResults(
          join(results, slide.image),
          slide,
        );
        scores.push(scoreSlide(labels, width, height, slide, reported, { radius: flags.radius }));
      }
      const totals = summarize(scores);
      if (flags.json) {
        console.log(JSON.stringify({ radius: flags.radius, slides: scores, totals }));
        return;
      }
      console.log(
        table([
          [
            "slide",
            "crossings found",
            "overlap regions",
            "false",
            "at touching",
            "count error",
            "clumps right",
            "clump |error|",
          ],
          ...scores.map((s) => [
            s.image,
            `${s.found} of ${s.crossings}`,
            s.overlapRegions,
            s.falseRegions.length,
            s.falseAtTouching,
            s.countError === null ? "—" : signed(s.countError),
            s.clumps.length ? `${rightClumps(s.clumps)} of ${s.clumps.length}` : "—",
            s.clumps.length ? clumpError(s.clumps) : "—",
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
            : "; count error: no chromosomeCount in the reports") +
          (totals.clumps
            ? `; clumps counted right: ${totals.rightClumps} of ${totals.clumps}, sum of |error| ${totals.clumpError}`
            : ""),
      );
      for (const s of scores) {
        for (const m of s.missed) console.log(`${s.image}: missed crossing at (${m.x}, ${m.y})`);
        for (const f of s.falseRegions)
          console.log(`${s.image}: false overlap at (${f.x}, ${f.y}), ${f.area} px`);
        for (const c of s.clumps.filter((clump) => clump.counted !== clump.chromosomes))
          console.log(
            `${s.image}: clump at (${c.x}, ${c.y}) of ${c.chromosomes} chromosomes counted ${c.counted}`,
          );
      }
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
    clumps: sum(scores.map((s) => s.clumps.length)),
    rightClumps: sum(scores.map((s) => rightClumps(s.clumps))),
    clumpError: sum(scores.map((s) => clumpError(s.clumps))),
  };
}

function rightClumps(clumps: ClumpScore[]): number {
  return clumps.filter((c) => c.counted === c.chromosomes).length;
}

/** Sum of |counted − annotated| over the clumps. */
function clumpError(clumps: ClumpScore[]): number {
  return sum(clumps.map((c) => Math.abs(c.counted - c.chromosomes)));
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function signed(value: number): string {
  return value > 0 ? `+${value}` : String(value);
}
