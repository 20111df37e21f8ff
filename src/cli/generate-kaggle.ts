/** `chromoseg generate --preset kaggle`: the published recipe, its findings printed step by step. */
import { mkdir, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { CLEANED_KEY, KAGGLE_KEY, writeDataset } from "../data/hdf5.js";
import type { SampleDtype } from "../data/hdf5.js";
import { UserError } from "../errors.js";
import { compareWithPublished, describeFindings } from "../generate/kaggle/findings.js";
import { generateKaggleDataset } from "../generate/kaggle/generate-kaggle.js";
import { megabytes } from "../format.js";
import { createProgress } from "./progress.js";

export interface KaggleFlags {
  metaphase: string[];
  cy3?: string[];
  cleaned?: boolean;
  seed: number;
  out: string;
  dtype: SampleDtype;
  compression: number;
}

/**
 * `otherPresetOptions`: the other presets' options given on the command line (`--count`, …),
 * which the recipe fixes.
 */
export async function generateKaggle(
  flags: KaggleFlags,
  otherPresetOptions: string[],
): Promise<void> {
  const started = performance.now();
  const [dapi, ...others] = flags.metaphase;
  if (others.length)
    throw new UserError(
      "the kaggle preset takes one metaphase: its DAPI image (--metaphase DAPI.tif --cy3 Cy3.tif)",
    );
  const [cy3, ...moreCy3] = flags.cy3 ?? [];
  if (!cy3 || moreCy3.length)
    throw new UserError(
      "the kaggle preset needs the metaphase's one Cy3 image: --cy3 Cy3.tif (--preset all works from DAPI alone)",
    );
  if (otherPresetOptions.length)
    throw new UserError(
      `the kaggle preset follows the published recipe, which fixes ${otherPresetOptions.join(", ")} (--preset all takes them)`,
    );
  const progress = createProgress();
  const generated = await generateKaggleDataset({
    dapi,
    cy3,
    seed: flags.seed,
    cleaned: flags.cleaned,
    onProgress: (stage, done, total) => progress.update(stage, done, total),
  });
  await mkdir(dirname(flags.out), { recursive: true });
  const key = flags.cleaned ? CLEANED_KEY : KAGGLE_KEY;
  await writeDataset(flags.out, generated.samples, {
    key,
    dtype: flags.dtype,
    compressionLevel: flags.compression,
    attributes: generated.attributes,
    onProgress: (done, total) => progress.update("write", done, total),
  });
  progress.stop();
  console.log(describeFindings(generated.findings).join("\n"));
  console.log(compareWithPublished(generated.findings, generated.publishedSource).join("\n"));
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `wrote ${flags.out} (${megabytes((await stat(flags.out)).size)}, ${flags.cleaned ? "cleaned" : "raw"} labels under "${key}") in ${seconds.toFixed(1)} s`,
  );
}
