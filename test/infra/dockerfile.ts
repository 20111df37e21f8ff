/**
 * Just enough of a Dockerfile parser for static checks: stages, instructions with continuation
 * lines joined, COPY's flags, sources and destination, exec-form CMD, and the absolute paths they
 * mean once WORKDIR and the variables of the base images and of ENV are applied.
 */
import { posix } from "node:path";

export interface Instruction {
  keyword: string;
  /** Everything after the keyword, continuation lines joined, runs of blanks as one space. */
  args: string;
}

export interface Copy {
  /** The stage copied from; undefined: the build context. */
  from?: string;
  /** As written: relative to the build context, or absolute paths in the `from` stage. */
  sources: string[];
  /** Absolute, in this stage. */
  destination: string;
}

export interface Stage {
  image: string;
  name?: string;
  platform?: string;
  instructions: Instruction[];
  /** The working directory after the stage's last WORKDIR. */
  workdir: string;
  /** Variables the base image and the stage's ENV instructions set. */
  env: Record<string, string>;
  copies: Copy[];
  /** Exec-form CMD, if any. */
  cmd?: string[];
}

/** What the base images' own Dockerfiles set (WORKDIR, ENV) that ours rely on. */
const BASE_IMAGES: Record<string, Pick<Stage, "workdir" | "env">> = {
  "public.ecr.aws/lambda/nodejs": { workdir: "/var/task", env: { LAMBDA_TASK_ROOT: "/var/task" } },
};

export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  for (const { keyword, args } of instructions(text)) {
    if (keyword === "FROM") {
      const words = args.split(" ");
      const [image, as, name] = words.filter((word) => !word.startsWith("--"));
      const parent = stages.find((stage) => stage.name === image);
      const base = parent ?? BASE_IMAGES[image.split(":")[0]] ?? { workdir: "/", env: {} };
      stages.push({
        image,
        name: as?.toUpperCase() === "AS" ? name : undefined,
        platform: flag(words, "platform"),
        instructions: [],
        workdir: base.workdir,
        env: { ...base.env },
        copies: [],
      });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) throw new Error(`${keyword} before FROM`);
    stage.instructions.push({ keyword, args });
    if (keyword === "WORKDIR") stage.workdir = posix.resolve(stage.workdir, expand(args, stage));
    if (keyword === "COPY") {
      const words = expand(args, stage).split(" ");
      const paths = words.filter((word) => !word.startsWith("--"));
      stage.copies.push({
        from: flag(words, "from"),
        sources: paths.slice(0, -1),
        destination: posix.resolve(stage.workdir, paths.at(-1) ?? ""),
      });
    }
    if (keyword === "ENV") Object.assign(stage.env, variables(args));
    if (keyword === "CMD") stage.cmd = JSON.parse(args) as string[];
  }
  return stages;
}

/** `${NAME}` and `$NAME` as Docker expands them in WORKDIR and COPY. */
function expand(text: string, stage: Stage): string {
  return text.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, braced?: string, bare?: string) => {
    const name = braced ?? bare ?? "";
    const value = stage.env[name];
    if (value === undefined) throw new Error(`unknown variable ${name} in "${text}"`);
    return value;
  });
}

/** ENV's `NAME=value …` pairs (values without quotes or blanks), or its old form `NAME value`. */
function variables(args: string): Record<string, string> {
  const [first, ...rest] = args.split(" ");
  if (!first.includes("=")) return { [first]: rest.join(" ") };
  return Object.fromEntries(
    args
      .split(" ")
      .map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]),
  );
}

/** The value of `--name=value` among `words`. */
function flag(words: string[], name: string): string | undefined {
  return words.find((word) => word.startsWith(`--${name}=`))?.slice(name.length + 3);
}

function* instructions(text: string): Generator<Instruction> {
  let pending = "";
  for (const line of text.split("\n")) {
    if (/^\s*#/.test(line)) continue;
    const continued = /\\\s*$/.test(line);
    pending += `${line.replace(/\\\s*$/, "")} `;
    if (continued) continue;
    const match = /^(\w+)\s+(.*)$/.exec(pending.trim());
    pending = "";
    if (match) yield { keyword: match[1].toUpperCase(), args: match[2].replace(/\s+/g, " ") };
  }
}
