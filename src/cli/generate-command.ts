import { mkdir, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { Command, Option } from "commander";
import {
  CLEANED_KEY,
  DEFAULT_COMPRESSION_LEVEL,
  KAGGLE_KEY,
  SAMPLE_DTYPES,
  writeDataset,
} from "../data/hdf5.js";
import type { SampleDtype } from "../data/hdf5.js";
import { UserError } from "../errors.js";
import { PRESETS, generateDataset, presetSampling } from "../generate/generate.js";
import { TRIES_PER_PAIR } from "../generate/sample-pairs.js";
import type { Preset } from "../generate/generate.js";
import { megabytes } from "../format.js";
import { KAGGLE_PRESET } from "../generate/kaggle/generate-kaggle.js";
import { PUBLISHED_FIGURES } from "../generate/kaggle/published-figures.js";
import { KAGGLE_CROP, describeCrop } from "../generate/kaggle/slide.js";
import { generateKaggle } from "./generate-kaggle.js";
import { examples, integer, seed } from "./options.js";
import { createProgress } from "./progress.js";

interface GenerateFlags {
  metaphase: string[];
  preset: Preset | typeof KAGGLE_PRESET;
  cy3?: string[];
  cleaned?: boolean;
  count?: number;
  angles?: number;
  offsets?: number;
  minOverlap: number;
  seed: number;
  out: string;
  dtype: SampleDtype;
  compression: number;
}

/** Options of like-kaggle and all, by attribute name; the kaggle recipe fixes what they set. */
const OTHER_PRESETS_ONLY = ["count", "angles", "offsets", "minOverlap"];

const { samples: PUBLISHED_SAMPLES, frame: PUBLISHED_FRAME } = PUBLISHED_FIGURES;
const FRAME_TEXT = `${PUBLISHED_FRAME.height} × ${PUBLISHED_FRAME.width}`;

export function generateCommand(): Command {
  return new Command("generate")
    .summary("build a labelled dataset of overlapping pairs from metaphase images")
    .description(
      "Build a dataset of overlapping chromosome pairs, written as HDF5 in the Kaggle layout " +
        `(${KAGGLE_KEY}, (N, ${PUBLISHED_FRAME.height}, ${PUBLISHED_FRAME.width}, 2): grey, then labels 0 background, ` +
        "1 the smaller chromosome, 2 the larger, 3 the overlap), plus pair_ids (N, 2), the two chromosomes of each " +
        "sample, for the grouped split. The same inputs and seed give the same file, byte for byte.\n\n" +
        "kaggle (the default) follows the published notebook step by step (docs/dataset-recipe.md): " +
        `from one metaphase's DAPI (--metaphase) and Cy3 (--cy3) images, cropped to ${describeCrop(KAGGLE_CROP)}, ` +
        `${PUBLISHED_FIGURES.keptAreas.length} chromosomes, their ${PUBLISHED_FIGURES.pairs} pairs, ` +
        "5 × 5 spline rotations and 9 shifts each, grey values summed unclipped, the candidates with an " +
        "overlap padded to the largest size; it prints what each step found and how that compares with " +
        "the published recipe's figures, and only its final shuffle depends on --seed. It refuses --count, --angles, " +
        "--offsets and --min-overlap, which the recipe fixes, and a slide on which a step comes up empty.\n\n" +
        "all, slides and like-kaggle approximate the recipe on any metaphases: find single chromosomes on each image, " +
        "decimate each by 2, rotate each over a set of angles, place one over the other on a grid of offsets, " +
        "sum the grey values (clipped at 255), keep samples with an overlap, centre them in a " +
        `${FRAME_TEXT} frame and shuffle. Placements are drawn, not enumerated, so time and memory follow --count, ` +
        "not the number of pairs: pairs come in rounds of a seeded shuffle of all pairs (each pair gets a " +
        `sample before any gets a second); for each, rotations and an offset are drawn until a placement fits, ` +
        `overlaps and is new, at most ${TRIES_PER_PAIR} times, after which the pair is left out.`,
    )
    .requiredOption("-m, --metaphase <files...>", "metaphase images (TIFF or PNG, 8, 12 or 16 bit)")
    .addOption(
      new Option(
        "-p, --preset <name>",
        `kaggle: the published recipe from a DAPI and a Cy3 image (${PUBLISHED_SAMPLES} samples of ${FRAME_TEXT} from the published slides); ` +
          `like-kaggle: an approximation from DAPI alone, 11 chromosomes (every 4th by area), ${PUBLISHED_SAMPLES} samples; all: every chromosome of every image, 20000 samples spread over all their pairs; ` +
          `slides: as all, for whole slides: ${describeMix("slides")}`,
      )
        .choices([KAGGLE_PRESET, ...PRESETS])
        .default(KAGGLE_PRESET),
    )
    .option(
      "--cy3 <files...>",
      "each metaphase's Cy3 (telomere) image, in --metaphase's order: the kaggle preset needs it (its grey image is " +
        "the mean of the DAPI and Cy3 top-hats); the other presets average it into the grey image before finding chromosomes",
    )
    .option(
      "--cleaned",
      'kaggle preset: write the published "Cleaned" labels (each label opened with a disk of radius 1, which drops ' +
        "specks and the 4s, then regrown by watershed inside the labelled pixels) under that file's key, " +
        `${CLEANED_KEY}, instead of ${KAGGLE_KEY}; the file's label_values count them, raw_label_values the raw ones, ` +
        "and it prints how many samples lost their overlap in cleaning",
    )
    .option("-n, --count <samples>", "samples to make (default: the preset's)", integer(1))
    .option(
      "--angles <n>",
      `rotations per chromosome, evenly spaced over 360° (default: ${perPreset("angles")})`,
      integer(1, 360),
    )
    .option(
      "--offsets <px>",
      `grid step of the offsets between the two chromosomes (default: ${perPreset("offsetStep")})`,
      integer(1, 50),
    )
    .option("--min-overlap <px>", "overlap pixels a sample needs (not kaggle)", integer(1), 5)
    .option("-s, --seed <n>", "random seed: choice and order of samples", seed, 1)
    .requiredOption("-o, --out <file.h5>", "the HDF5 file to write")
    .addOption(
      new Option("--dtype <type>", `element type of the samples (${KAGGLE_KEY} or ${CLEANED_KEY})`)
        .choices(SAMPLE_DTYPES)
        .default("int64"),
    )
    .option(
      "--compression <level>",
      "gzip level 0–9 (the public file used 9: 8 % smaller, about 8× slower to write)",
      integer(0, 9),
      DEFAULT_COMPRESSION_LEVEL,
    )
    .addHelpText(
      "after",
      examples(
        "chromoseg generate --metaphase ../shared/data/metaphases/DAPI.tif --preset like-kaggle --seed 1 --out data/replica.h5",
        "chromoseg generate -m slide1.tif slide2.tif --preset all --count 50000 --out data/lab.h5",
        "chromoseg generate -m samples/DAPI.tif --preset all --count 500 --angles 6 --out data/small.h5",
        "chromoseg generate --preset kaggle -m ../shared/data/metaphases/DAPI.tif --cy3 ../shared/data/metaphases/Cy3.tif --out data/kaggle.h5",
      ),
    )
    .action(async (flags: GenerateFlags, command: Command) => {
      if (flags.preset === KAGGLE_PRESET) {
        const given = command.options.filter((option) => {
          const name = option.attributeName();
          return OTHER_PRESETS_ONLY.includes(name) && command.getOptionValueSource(name) === "cli";
        });
        return generateKaggle(
          flags,
          given.map((option) => option.long ?? option.flags),
        );
      }
      if (flags.cleaned)
        throw new UserError(`--cleaned is the kaggle preset's (the published Cleaned labels)`);
      const started = performance.now();
      const progress = createProgress();
      const generated = await generateDataset({
        metaphases: flags.metaphase,
        cy3: flags.cy3,
        preset: flags.preset,
        count: flags.count,
        angles: flags.angles,
        offsetStep: flags.offsets,
        minOverlap: flags.minOverlap,
        seed: flags.seed,
        onProgress: (stage, done, total) => progress.update(stage, done, total),
      });
      await mkdir(dirname(flags.out), { recursive: true });
      await writeDataset(flags.out, generated.samples, {
        dtype: flags.dtype,
        compressionLevel: flags.compression,
        attributes: generated.attributes,
        onProgress: (done, total) => progress.update("write", done, total),
      });
      progress.stop();
      const { attributes, samples, work } = generated;
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `${attributes.chromosomes} chromosomes, ${attributes.pairs} pairs, ${work.placementsTried} placements tried, ${samples.count} samples made`,
      );
      if (work.pairsUnplaced) {
        console.log(
          `${work.pairsUnplaced} pairs left out: none of ${TRIES_PER_PAIR} placements drawn fitted the frame with an overlap`,
        );
      }
      if (samples.count < generated.requested) {
        console.log(
          `only ${samples.count} of the ${generated.requested} samples asked for: the pairs ran out of new placements; more angles (--angles) or a finer grid (--offsets) give more`,
        );
      }
      console.log(
        `wrote ${flags.out} (${megabytes((await stat(flags.out)).size)}) in ${seconds.toFixed(1)} s`,
      );
    });
}

/** A mixing preset's shares of each kind of sample, for the help. */
function describeMix(preset: Preset): string {
  const { mix, angles, overlapGain = [1, 1], overlapBlur } = presetSampling(preset);
  if (!mix) return "crossings only";
  const share = (fraction: number) => `${Math.round(100 * fraction)} %`;
  return (
    `${share(mix.crossing)} crossings (overlap grey ${overlapGain.join("–")} × the sum` +
    (overlapBlur ? `, smoothed near the overlap with σ ${overlapBlur.join("–")} px` : "") +
    `, as real crossings), ` +
    `${share(mix.touching)} touching pairs (no overlap), ${share(mix.single)} single chromosomes (label 1; ` +
    `each shown at most once per angle, ${angles} angles, so fewer when the chromosomes are few)`
  );
}

/** A sampling setting's default for each preset but kaggle, e.g. "12 like-kaggle, 12 all, 36 slides". */
function perPreset(setting: "angles" | "offsetStep"): string {
  return PRESETS.map((preset) => `${presetSampling(preset)[setting]} ${preset}`).join(", ");
}
