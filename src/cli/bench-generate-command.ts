import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { Command } from "commander";
import { DEFAULT_COMPRESSION_LEVEL, loadDataset } from "../data/hdf5.js";
import { UserError } from "../errors.js";
import { SAMPLE_METAPHASE } from "../sample-images.js";
import { SETTINGS_ENVIRONMENT } from "../settings.js";
import { megabytes, table } from "../format.js";
import { KAGGLE_PRESET } from "../generate/kaggle/generate-kaggle.js";
import { examples, integer } from "./options.js";

const SHARED_DATA = "../shared/data/metaphases";
/** The metaphases of the shared data: `all`'s default where present. */
const SHARED_METAPHASES = [
  "jpp21-m1-dapi.tif",
  "jpp21-m2-dapi.tif",
  "jpp21-m4-dapi.tif",
  "DAPI.tif",
].map((name) => join(SHARED_DATA, name));
/** The preset made from several images (--metaphases, --count); the others take --metaphase. */
const MANY_IMAGE_PRESET = "all";

interface BenchGenerateFlags {
  presets: string[];
  metaphase: string;
  cy3: string;
  metaphases?: string[];
  count?: number;
  compression: number;
  json?: boolean;
}

interface BenchRun {
  preset: string;
  images: string[];
  /** What `chromoseg generate` printed. */
  output: string;
  samples: number;
  /** The written file's attributes (chromosomes, pairs, …). */
  attributes: Record<string, unknown>;
  /** The command from its start to its exit. */
  seconds: number;
  samplesPerSecond: number;
  /** process.resourceUsage().maxRSS of the generating process, in bytes. */
  peakRssBytes: number;
  fileBytes: number;
  /** Loading the written file as training does: the baseline. */
  readBackSeconds: number;
}

export function benchGenerateCommand(): Command {
  return new Command("generate")
    .description(
      "Time `chromoseg generate` of each preset end to end, each in a process of its own: from its " +
        "start (decoding, finding chromosomes, drawing and composing samples, writing the HDF5 file at " +
        "--compression) to its exit, and the process's peak resident memory, process.resourceUsage().maxRSS " +
        "read as it exits. One-image presets are made from --metaphase (and --cy3 where they read it), " +
        `\`${MANY_IMAGE_PRESET}\` from --metaphases. Where --metaphase or --cy3 is missing, ${KAGGLE_PRESET} is skipped ` +
        `with a note; where the metaphases of ${SHARED_DATA} are missing and no --metaphases are given, \`${MANY_IMAGE_PRESET}\` is ` +
        "made from --metaphase alone, with a note. The baseline, timed here: loading each written file as training does.",
    )
    .option("-p, --presets <names...>", "the presets to time, in this order", [
      KAGGLE_PRESET,
      MANY_IMAGE_PRESET,
    ])
    .option("-m, --metaphase <file>", "the image of the one-image presets", SAMPLE_METAPHASE)
    .option("--cy3 <file>", `the Cy3 image of ${KAGGLE_PRESET}`, join(SHARED_DATA, "Cy3.tif"))
    .option(
      "--metaphases <files...>",
      `the images of \`${MANY_IMAGE_PRESET}\` (default: the four in ${SHARED_DATA} where present, else --metaphase)`,
    )
    .option(
      "-n, --count <samples>",
      `samples of \`${MANY_IMAGE_PRESET}\` (default: the preset's)`,
      integer(1),
    )
    .option(
      "--compression <level>",
      "gzip level of the written files",
      integer(0, 9),
      DEFAULT_COMPRESSION_LEVEL,
    )
    .option(
      "--json",
      'print one JSON object: {"runs": [{"preset", "images", "output", "samples", "attributes", "seconds", ' +
        '"samplesPerSecond", "peakRssBytes", "fileBytes", "readBackSeconds"}]}',
    )
    .addHelpText(
      "after",
      examples(
        "chromoseg bench generate",
        "chromoseg bench generate --presets all --metaphases a.tif b.tif c.tif --count 20000 --json",
        "chromoseg bench generate --presets like-kaggle kaggle --compression 9",
      ),
    )
    .action(async (flags: BenchGenerateFlags) => {
      const folder = await mkdtemp(join(tmpdir(), "chromoseg-bench-"));
      const runs: BenchRun[] = [];
      try {
        for (const preset of flags.presets) {
          const { images, note } = presetImages(preset, flags);
          if (note) console.error(`${preset}: ${note}`);
          if (!images) continue;
          if (!flags.json) console.error(`${preset}: ${images.length} image(s)…`);
          runs.push(
            await timeGenerate(preset, images, generateArgs(preset, images, flags), folder),
          );
        }
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
      if (flags.json) console.log(JSON.stringify({ runs }));
      else printRuns(runs, flags.compression);
    });
}

/**
 * The images `preset` is made from, none where they are missing (kaggle skipped), and a one-line
 * note when the preset is skipped or `all` falls back to --metaphase.
 */
function presetImages(
  preset: string,
  flags: BenchGenerateFlags,
): { images?: string[]; note?: string } {
  if (preset === KAGGLE_PRESET) {
    const missing = [flags.metaphase, flags.cy3].filter((file) => !existsSync(file));
    if (missing.length > 0)
      return { note: `skipped: ${missing.join(", ")} not found (give --metaphase and --cy3)` };
  }
  if (preset !== MANY_IMAGE_PRESET) return { images: [flags.metaphase] };
  if (flags.metaphases) return { images: flags.metaphases };
  if (SHARED_METAPHASES.every((file) => existsSync(file))) return { images: SHARED_METAPHASES };
  return {
    images: [flags.metaphase],
    note: `the metaphases of ${SHARED_DATA} not found, made from --metaphase ${flags.metaphase} alone (give --metaphases)`,
  };
}

/** `chromoseg generate`'s options for `preset`, less --out. */
function generateArgs(preset: string, images: string[], flags: BenchGenerateFlags): string[] {
  const args = [
    "--preset",
    preset,
    "--metaphase",
    ...images,
    "--compression",
    String(flags.compression),
  ];
  if (preset === KAGGLE_PRESET) args.push("--cy3", flags.cy3);
  if (preset === MANY_IMAGE_PRESET && flags.count) args.push("--count", String(flags.count));
  return args;
}

/** Runs `chromoseg generate` in a fresh process, then loads what it wrote. */
async function timeGenerate(
  preset: string,
  images: string[],
  args: string[],
  folder: string,
): Promise<BenchRun> {
  const file = join(folder, `${preset}.h5`);
  const peakFile = join(folder, `${preset}.peak`);
  const cli = fileURLToPath(new URL("../cli.js", import.meta.url));
  const reporter = pathToFileURL(
    fileURLToPath(new URL("./report-peak-memory.js", import.meta.url)),
  ).href;
  const started = performance.now();
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--import", reporter, cli, "generate", ...args, "--out", file],
    { env: { ...process.env, [SETTINGS_ENVIRONMENT.peakRssFile]: peakFile }, maxBuffer: 16 << 20 },
  ).catch((error: { stderr?: string }) => {
    const reason = error.stderr?.trim().split("\n")[0] ?? String(error);
    throw new UserError(`chromoseg generate --preset ${preset} failed: ${reason}`);
  });
  const seconds = (performance.now() - started) / 1000;
  const peakRssBytes = Number(await readFile(peakFile, "utf8"));
  const fileBytes = (await stat(file)).size;
  const readStarted = performance.now();
  const { info } = await loadDataset(file);
  const readBackSeconds = (performance.now() - readStarted) / 1000;
  return {
    preset,
    images,
    output: stdout.trim(),
    samples: info.count,
    attributes: info.attributes,
    seconds,
    samplesPerSecond: info.count / seconds,
    peakRssBytes,
    fileBytes,
    readBackSeconds,
  };
}

function printRuns(runs: BenchRun[], compression: number): void {
  for (const run of runs) {
    const names = run.images.map((file) => basename(file));
    const shown = names.length > 4 ? `${names.slice(0, 4).join(", ")}, …` : names.join(", ");
    console.log(`${run.preset} from ${names.length} image(s) (${shown}):`);
    console.log(run.output.replace(/^/gm, "  "));
  }
  console.log(
    table([
      [
        "preset",
        "images",
        "samples",
        "seconds",
        "samples/s",
        "peak RSS",
        `file (gzip ${compression})`,
        "read back s",
      ],
      ...runs.map((run) => [
        run.preset,
        run.images.length,
        run.samples,
        run.seconds.toFixed(1),
        run.samplesPerSecond.toFixed(0),
        megabytes(run.peakRssBytes),
        megabytes(run.fileBytes),
        run.readBackSeconds.toFixed(1),
      ]),
    ]),
  );
  console.log(
    "seconds: `chromoseg generate` from its start to its exit; peak RSS: its process.resourceUsage().maxRSS; " +
      "read back: loading the written file as training does, the baseline",
  );
}
