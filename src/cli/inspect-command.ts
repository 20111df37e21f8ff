import { Command, Option } from "commander";
import { CLASS_NAMES } from "../classes.js";
import { loadDataset } from "../data/hdf5.js";
import { LABEL_POLICIES, describeCleaning } from "../data/label-policy.js";
import type { LabelPolicy } from "../data/label-policy.js";
import { datasetStatistics } from "../data/statistics.js";
import type { DatasetStatistics } from "../data/statistics.js";
import { contactSheetSize, renderContactSheet } from "../render/contact-sheet.js";
import { percent, table } from "../format.js";
import { examples } from "./options.js";
import { createProgress } from "./progress.js";
import { writeFileAtomically } from "../files.js";

interface InspectFlags {
  key?: string;
  labels: LabelPolicy;
  sheet?: string;
  json?: boolean;
}

export function inspectCommand(): Command {
  return new Command("inspect")
    .summary("statistics and a contact sheet of an HDF5 dataset")
    .description(
      "Print a dataset's key, shape, type, label histogram (whole numbers as stored, values above 3 included), " +
        "what the label policy changed (labels above 3, negative, fractional or NaN, and specks), pixels per class per sample (10th percentile, median, 90th percentile) and how " +
        "much overlap it holds; write a contact sheet PNG of the first 64 samples, each as its grey input beside " +
        "its labels (black background, orange chromosome A, blue chromosome B, purple overlap).",
    )
    .argument("<file.h5>", "dataset in the Kaggle layout (N, height, width, 2)")
    .option(
      "-k, --key <name>",
      "dataset key (default: dataset_1, else 13434_overlapping_chrom_pairs_LowRes)",
    )
    .addOption(
      new Option(
        "--labels <policy>",
        "labels that are not a whole number 0–3 (above 3, negative, fractional, NaN): strict = error with the " +
          "count of each kind, clip = to background, clean = clip and re-assign isolated one-pixel specks",
      )
        .choices(LABEL_POLICIES)
        .default("clean"),
    )
    .option(
      "--sheet <file.png>",
      "where to write the contact sheet (default: beside the dataset, <name>.sheet.png)",
    )
    .option("--json", "print the statistics as one JSON object instead of tables")
    .addHelpText(
      "after",
      examples(
        "chromoseg inspect data/kaggle.h5",
        "chromoseg inspect LowRes_13434_overlapping_pairs.h5 --labels strict",
        "chromoseg inspect data/kaggle.h5 --json",
      ),
    )
    .action(async (file: string, flags: InspectFlags) => {
      const progress = flags.json ? undefined : createProgress();
      const loaded = await loadDataset(file, {
        key: flags.key,
        labels: flags.labels,
        onProgress: (done, total) => progress?.update("read", done, total),
      });
      progress?.stop();
      const stats = datasetStatistics(loaded);
      const sheet = flags.sheet ?? `${file.replace(/\.(h5|hdf5)$/i, "")}.sheet.png`;
      await writeFileAtomically(sheet, await renderContactSheet(loaded.samples));
      if (flags.json) {
        console.log(JSON.stringify({ ...stats, contactSheet: sheet }));
        return;
      }
      printStatistics(stats);
      const { width, height } = contactSheetSize(loaded.samples);
      console.log(
        `\ncontact sheet: ${sheet} (${width} × ${height}, first ${Math.min(64, stats.shape[0])} samples)`,
      );
    });
}

function printStatistics(stats: DatasetStatistics): void {
  const [n, h, w] = stats.shape;
  console.log(
    `${stats.file}: key "${stats.key}", shape (${stats.shape.join(", ")}), dtype ${stats.dtype}`,
  );
  console.log(
    `${n} samples of ${h} × ${w}; pair ids: ${stats.hasPairIds ? `yes, ${stats.distinctPairs} distinct pairs` : "no"}`,
  );
  const attributes = Object.entries(stats.attributes);
  if (attributes.length)
    console.log(`made by: ${attributes.map(([k, v]) => `${k}=${String(v)}`).join(", ")}`);
  console.log("\nlabel histogram (as stored)");
  console.log(
    table([
      ["label", "pixels"],
      ...Object.entries(stats.labelHistogram).map(([label, count]) => [label, count]),
    ]),
  );
  console.log(`label policy changed: ${describeCleaning(stats.cleaning)}`);
  console.log("\npixels per sample");
  console.log(
    table([
      ["class", "p10", "median", "p90"],
      ...CLASS_NAMES.map((name) => {
        const s = stats.pixelsPerSample[name];
        return [name, s.p10, s.median, s.p90];
      }),
    ]),
  );
  console.log(
    `\nsamples with overlap: ${percent(stats.samplesWithOverlap)}; overlap pixels / chromosome pixels: ${percent(stats.overlapFraction)}`,
  );
}
