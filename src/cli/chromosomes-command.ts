import { mkdir } from "node:fs/promises";
import { basename, join } from "node:path";
import { Command, Option } from "commander";
import sharp from "sharp";
import type { Rgb } from "../classes.js";
import { UserError } from "../errors.js";
import { OBJECT_KINDS, findChromosomes } from "../image/find-chromosomes.js";
import { readKaggleChannels } from "../generate/kaggle/read.js";
import { segmentKaggleChromosomes } from "../generate/kaggle/segment.js";
import type { KaggleSegmentation } from "../generate/kaggle/segment.js";
import { KAGGLE_CROP, describeCrop } from "../generate/kaggle/slide.js";
import { readGreyImage } from "../image/grey-image.js";
import { renderSheet } from "../render/contact-sheet.js";
import { renderColouredOutlines, renderOutlines } from "../render/outlines.js";
import { table } from "../format.js";
import type { Box } from "../image/morphology.js";
import { box, examples } from "./options.js";
import { writeFileAtomically } from "../files.js";

/** The segmentations the command can show. */
const SEGMENTATIONS = ["finder", "kaggle"] as const;
type Segmentation = (typeof SEGMENTATIONS)[number];

interface ChromosomesFlags {
  out: string;
  preset: Segmentation;
  cy3?: string;
  crop: Box;
}

export function chromosomesCommand(): Command {
  return new Command("chromosomes")
    .summary("find single chromosomes on a metaphase image")
    .description(
      "Find single chromosomes on a metaphase image, as the generator does: subtract the background, " +
        "threshold (Otsu, with interphase nuclei left out), label connected objects, and reject nuclei " +
        "(large and convex), debris (under 12 % of the median object area), clusters of touching or " +
        "crossing chromosomes (over 2.5 median areas, or a branching skeleton with low solidity) and " +
        "objects cut by the image border.\n\n" +
        "Writes to --out: outlines.png (the slide with each object outlined in the colour of its kind: " +
        "green accepted, magenta nucleus, yellow debris, red cluster, cyan border), " +
        "objects.json (every object's kind and measurements) and chromosome-<id>.png for each accepted one.\n\n" +
        "With --preset kaggle and --cy3, shows instead the segmentation of the published dataset's recipe " +
        "(the generate preset kaggle, steps 1–5 of its notebook): the crop (--crop, by default the recipe's " +
        `${describeCrop(KAGGLE_CROP)}), DAPI and Cy3 top-hats, a local Gaussian threshold of the DAPI one, opening, border ` +
        "clearing, labelling; the objects keyed by area (a later object replaces an earlier one of the " +
        "same area) and every 4th area kept from the smallest, each decimated by 2. Writes outlines.png " +
        "(the recipe's grey image, the mean of both top-hats, with each object outlined: green kept, " +
        "yellow not kept, magenta replaced by a later object of the same area), kaggle-chromosomes.png " +
        "(the kept chromosomes as the generator takes them: grey and mask, smallest first) and " +
        "objects.json (what each step found, every object's box, area and fate).",
    )
    .argument("<image>", "metaphase image: TIFF, PNG or JPEG, 8, 12 or 16 bit (DAPI for kaggle)")
    .requiredOption("-o, --out <dir>", "folder for the results (created if missing)")
    .addOption(
      new Option(
        "-p, --preset <name>",
        "finder: the generator's chromosome finder (presets like-kaggle, all); kaggle: the published recipe's segmentation",
      )
        .choices(SEGMENTATIONS)
        .default("finder"),
    )
    .option("--cy3 <file>", "the same metaphase's Cy3 image (needed by --preset kaggle)")
    .addOption(
      new Option(
        "--crop <x0,y0,x1,y1>",
        "--preset kaggle: the part of the slide the recipe works on, columns x0 … x1 − 1 and rows y0 … y1 − 1",
      )
        .argParser(box)
        .default(KAGGLE_CROP, `the recipe's, ${describeCrop(KAGGLE_CROP)}`),
    )
    .addHelpText(
      "after",
      examples(
        "chromoseg chromosomes ../shared/data/metaphases/DAPI.tif --out out/chromosomes",
        "chromoseg chromosomes ../shared/data/metaphases/DAPI.tif --preset kaggle --cy3 ../shared/data/metaphases/Cy3.tif --out out/kaggle",
      ),
    )
    .action(async (image: string, flags: ChromosomesFlags) => {
      await mkdir(flags.out, { recursive: true });
      if (flags.preset === "kaggle") await showKaggleSegmentation(image, flags);
      else await showFoundChromosomes(image, flags.out);
    });
}

async function showFoundChromosomes(image: string, out: string): Promise<void> {
  const decoded = await readGreyImage(image);
  const found = findChromosomes(decoded.image);
  await writeFileAtomically(
    join(out, "outlines.png"),
    await renderOutlines(decoded.image, found.labels, found.objects),
  );
  await writeFileAtomically(
    join(out, "objects.json"),
    JSON.stringify(
      {
        image,
        sha256: decoded.sha256,
        scaling: decoded.scaling,
        threshold: found.threshold,
        medianArea: found.medianArea,
        objects: found.objects,
      },
      null,
      2,
    ),
  );
  for (const c of found.chromosomes) {
    const png = await sharp(Buffer.from(c.grey), {
      raw: { width: c.width, height: c.height, channels: 1 },
    })
      .toColourspace("b-w")
      .png()
      .toBuffer();
    await writeFileAtomically(join(out, `chromosome-${String(c.id).padStart(3, "0")}.png`), png);
  }
  const counts = OBJECT_KINDS.map((kind) => found.objects.filter((o) => o.kind === kind).length);
  console.log(
    `${image}: ${decoded.image.width} × ${decoded.image.height}, ${decoded.scaling}, threshold ${found.threshold}, median object area ${found.medianArea} px`,
  );
  console.log(table([[...OBJECT_KINDS], counts]));
  console.log(
    `wrote ${join(out, "outlines.png")}, objects.json and ${found.chromosomes.length} chromosome PNGs`,
  );
}

/** What became of an object in the recipe's selection, and its outline colour. */
const FATES = {
  kept: [0, 220, 0],
  "not kept": [255, 230, 0],
  replaced: [255, 0, 255],
} satisfies Record<string, Rgb>;
type Fate = keyof typeof FATES;

async function showKaggleSegmentation(image: string, flags: ChromosomesFlags): Promise<void> {
  if (!flags.cy3)
    throw new UserError("--preset kaggle needs --cy3 <file>: the same metaphase's Cy3 image");
  const { dapi, cy3 } = await readKaggleChannels(image, flags.cy3);
  const segmentation = segmentKaggleChromosomes(dapi.image, cy3.image, { crop: flags.crop });
  const { slide, findings, chromosomes } = segmentation;
  const fateOf = fates(segmentation);
  const count = (fate: Fate) => [...fateOf.values()].filter((f) => f === fate).length;
  await writeFileAtomically(
    join(flags.out, "outlines.png"),
    await renderColouredOutlines(
      slide.grey,
      slide.labels,
      (id) => FATES[fateOf.get(id)!],
      (Object.keys(FATES) as Fate[]).map((fate) => ({
        colour: FATES[fate],
        text: `${fate}: ${count(fate)}`,
      })),
    ),
  );
  const { width, height } = chromosomes[0] ?? { width: 1, height: 1 };
  await writeFileAtomically(
    join(flags.out, "kaggle-chromosomes.png"),
    await renderSheet(
      chromosomes.map((c) => [{ grey: c.grey }, { labels: c.mask }]),
      height,
      width,
      { columns: 6, scale: 3 },
    ),
  );
  await writeFileAtomically(
    join(flags.out, "objects.json"),
    JSON.stringify(
      {
        dapi: { file: image, sha256: dapi.sha256, scaling: dapi.scaling },
        cy3: { file: flags.cy3, sha256: cy3.sha256, scaling: cy3.scaling },
        crop: flags.crop,
        findings,
        objects: slide.objects.map(({ id, box, area }) => ({
          id,
          box,
          area,
          fate: fateOf.get(id),
        })),
      },
      null,
      2,
    ),
  );
  const { y0, y1, x0, x1 } = flags.crop;
  console.log(
    `${basename(image)} + ${basename(flags.cy3)}: kaggle recipe on rows ${y0}–${y1 - 1}, columns ${x0}–${x1 - 1}: ` +
      `${findings.objects} objects, ${findings.distinctAreas} distinct areas, frame ${findings.frame.height} × ${findings.frame.width}`,
  );
  console.log(
    table([
      ["kept", ...chromosomes.map((_, k) => String(k + 1))],
      ["area", ...findings.keptAreas.map(String)],
      ["decimated", ...findings.decimatedAreas.map(String)],
    ]),
  );
  console.log(`wrote ${join(flags.out, "outlines.png")}, kaggle-chromosomes.png and objects.json`);
}

function fates({ slide, findings, chromosomes }: KaggleSegmentation): Map<number, Fate> {
  const kept = new Set(chromosomes.map((c) => c.id));
  const replaced = new Set(findings.replaced);
  return new Map(
    slide.objects.map((o) => [
      o.id,
      kept.has(o.id) ? "kept" : replaced.has(o.id) ? "replaced" : "not kept",
    ]),
  );
}
