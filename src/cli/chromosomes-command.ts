import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Command } from "commander";
import sharp from "sharp";
import { OBJECT_KINDS, findChromosomes } from "../generate/find-chromosomes.js";
import { readGreyImage } from "../image/grey-image.js";
import { renderOutlines } from "../render/outlines.js";
import { table } from "./format.js";
import { examples } from "./options.js";

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
        "objects.json (every object's kind and measurements) and chromosome-<id>.png for each accepted one.",
    )
    .argument("<image>", "metaphase image: TIFF, PNG or JPEG, 8, 12 or 16 bit")
    .requiredOption("-o, --out <dir>", "folder for the results (created if missing)")
    .addHelpText(
      "after",
      examples("chromoseg chromosomes ../shared/data/metaphases/DAPI.tif --out out/chromosomes"),
    )
    .action(async (image: string, options: { out: string }) => {
      const decoded = await readGreyImage(image);
      const found = findChromosomes(decoded.image);
      await mkdir(options.out, { recursive: true });
      await writeFile(
        join(options.out, "outlines.png"),
        await renderOutlines(decoded.image, found.labels, found.objects),
      );
      await writeFile(
        join(options.out, "objects.json"),
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
        await sharp(Buffer.from(c.grey), { raw: { width: c.width, height: c.height, channels: 1 } })
          .toColourspace("b-w")
          .png()
          .toFile(join(options.out, `chromosome-${String(c.id).padStart(3, "0")}.png`));
      }
      const counts = OBJECT_KINDS.map(
        (kind) => found.objects.filter((o) => o.kind === kind).length,
      );
      console.log(
        `${image}: ${decoded.image.width} × ${decoded.image.height}, ${decoded.scaling}, threshold ${found.threshold}, median object area ${found.medianArea} px`,
      );
      console.log(table([[...OBJECT_KINDS], counts]));
      console.log(
        `wrote ${join(options.out, "outlines.png")}, objects.json and ${found.chromosomes.length} chromosome PNGs`,
      );
    });
}
