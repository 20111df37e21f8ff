/**
 * Static checks of the two Dockerfiles (no Docker engine here): pinned base images, sources that
 * are in the build context CDK stages for `cdk deploy`, and a CMD that names what the build writes.
 */
import { execSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, posix, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import {
  BUILD_CONTEXT,
  SEGMENT_DOCKERFILE,
  TRAINING_DOCKERFILE,
} from "../../infra/docker-images.js";
import { DEFAULT_MODEL } from "../../src/default-model.js";
import { parseDockerfile } from "./dockerfile.js";
import type { Stage } from "./dockerfile.js";
import { synthesize } from "./synth.js";

const read = (file: string) => readFileSync(join(BUILD_CONTEXT, file), "utf8");
const segment = parseDockerfile(read(SEGMENT_DOCKERFILE));
const training = parseDockerfile(read(TRAINING_DOCKERFILE));

/** The build context CDK staged for each Dockerfile (what `docker build` will be sent). */
const contexts = new Map<string, string>();
beforeAll(() => {
  const { stack, outdir } = synthesize();
  const manifest = JSON.parse(
    readFileSync(join(outdir, `${stack.artifactId}.assets.json`), "utf8"),
  ) as { dockerImages: Record<string, { source: { directory: string; dockerFile: string } }> };
  for (const { source } of Object.values(manifest.dockerImages)) {
    contexts.set(source.dockerFile, join(outdir, source.directory));
  }
});

interface Esbuild {
  stage: Stage;
  /** The RUN's shell command. */
  command: string;
  entry: string;
  /** Absolute, in `stage`. */
  outfile: string;
  externals: string[];
}

/** The esbuild command of a stage's RUN, with its entry point and output. */
function esbuildRuns(stages: Stage[]): Esbuild[] {
  return stages.flatMap((stage) =>
    stage.instructions
      .filter(({ keyword, args }) => keyword === "RUN" && /\besbuild\b/.test(args))
      .map(({ args }) => {
        const words = args.split(" ");
        const after = words.slice(words.indexOf("esbuild") + 1);
        const outfile = after.find((word) => word.startsWith("--outfile="))?.slice(10) ?? "";
        return {
          stage,
          command: args,
          entry: after.find((word) => !word.startsWith("-")) ?? "",
          outfile: posix.resolve(stage.workdir, outfile),
          externals: after.flatMap((word) =>
            word.startsWith("--external:") ? [word.slice(11)] : [],
          ),
        };
      }),
  );
}

/** The esbuild output that the final stage copies to `path`, if any. */
function producerOf(stages: Stage[], path: string): Esbuild | undefined {
  const final = stages.at(-1)!;
  const copy = final.copies.find((c) => c.from && c.destination === path);
  if (!copy) return undefined;
  return esbuildRuns(stages).find(
    (run) => run.stage.name === copy.from && copy.sources.includes(run.outfile),
  );
}

describe.each([
  { file: SEGMENT_DOCKERFILE, stages: segment },
  { file: TRAINING_DOCKERFILE, stages: training },
])("$file", ({ file, stages }) => {
  it("pins every base image by a version tag and builds for x86_64", () => {
    const names = stages.map((stage) => stage.name);
    for (const { image, platform } of stages) {
      expect(platform).toBe("linux/amd64");
      if (names.includes(image)) continue;
      expect(image, image).toMatch(/^[\w./-]+:\d+(\.\d+)*(-[\w.-]+)?$/);
    }
  });

  it("builds and runs on Node 22: its node images and esbuild's target", () => {
    const nodeImages = stages.map((stage) => stage.image).filter((image) => /^node:/.test(image));
    for (const image of nodeImages) expect(image).toMatch(/^node:22[.-]/);
    const runs = esbuildRuns(stages);
    expect(runs.length).toBeGreaterThan(0);
    for (const run of runs) expect(run.command).toMatch(/ --target=node22( |$)/);
  });

  it("keeps onnxruntime-node from downloading CUDA libraries wherever npm installs packages", () => {
    const installing = stages.filter((stage) =>
      stage.instructions.some(
        ({ keyword, args }) => keyword === "RUN" && /\bnpm (ci|install)\b/.test(args),
      ),
    );
    expect(installing.length).toBeGreaterThan(0);
    for (const stage of installing) {
      expect(stage.env.ONNXRUNTIME_NODE_INSTALL, stage.image).toBe("skip");
      // a flag npm 11 no longer passes on, and warns about
      for (const { args } of stage.instructions)
        expect(args).not.toContain("--onnxruntime-node-install");
    }
  });

  it("copies only sources that exist in the staged build context", () => {
    const context = contexts.get(file)!;
    expect(context).toBeDefined();
    const sources = stages.flatMap((stage) =>
      stage.copies.filter((copy) => !copy.from).flatMap((copy) => copy.sources),
    );
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) expect(existsSync(join(context, source)), source).toBe(true);
  });

  it("bundles an entry point that the build stage copies in", () => {
    const [run] = esbuildRuns(stages);
    const copied = run.stage.copies.filter((copy) => !copy.from).flatMap((copy) => copy.sources);
    expect(copied.some((source) => run.entry.startsWith(`${source}/`))).toBe(true);
  });

  // handler.ts and entrypoint.ts arrive with 5/6; until then there is nothing to bundle.
  const [run] = esbuildRuns(stages);
  it.skipIf(!existsSync(join(BUILD_CONTEXT, run.entry)))(
    "bundles the entry point with the RUN's own esbuild command",
    () => {
      const out = mkdtempSync(join(tmpdir(), "chromoseg-esbuild-"));
      try {
        const command = run.command.replace(
          /--outfile=\S+/,
          `--outfile=${join(out, "bundle.mjs")}`,
        );
        execSync(command, { cwd: BUILD_CONTEXT, stdio: "pipe" });
        expect(existsSync(join(out, "bundle.mjs"))).toBe(true);
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    },
  );
});

describe("build context (.dockerignore)", () => {
  it("holds only what the Dockerfiles copy", () => {
    for (const context of contexts.values()) {
      expect(readdirSync(context).sort()).toEqual([
        ".dockerignore",
        "lambdas",
        "models",
        "package-lock.json",
        "package.json",
        "samples",
        "src",
        "training-container",
        "tsconfig.json",
      ]);
      expect(readdirSync(join(context, "models"))).toEqual(["default.onnx"]);
      expect(readdirSync(join(context, "samples"))).toEqual(["DAPI.tif"]);
    }
  });
});

describe("segment function image", () => {
  const final = segment.at(-1)!;

  it("is the AWS Lambda Node.js 22 image, its CMD the bundled handler", () => {
    expect(final.image).toBe("public.ecr.aws/lambda/nodejs:22");
    const [handler] = final.cmd ?? [];
    const [module, exported] = handler.split(".");
    expect(exported).toBe("handler");
    // Lambda's Node.js runtime loads <module>.js, .mjs or .cjs under LAMBDA_TASK_ROOT.
    const outputs = [".js", ".mjs", ".cjs"].map((extension) =>
      producerOf(segment, posix.join(final.env.LAMBDA_TASK_ROOT, module + extension)),
    );
    const producer = outputs.find((output) => output);
    expect(producer?.entry).toBe("lambdas/segment/handler.ts");
  });

  it("holds the default model where the handler falls back to it", () => {
    const model = final.copies.find((copy) => copy.sources.includes("models/default.onnx"));
    // src/default-model.ts finds the model relative to the code; in the image the code is the bundle
    const source = dirname(fileURLToPath(new URL("../../src/default-model.ts", import.meta.url)));
    const bundle = posix.join(final.env.LAMBDA_TASK_ROOT, posix.dirname(final.cmd![0]));
    expect(model?.destination).toBe(posix.join(bundle, relative(source, DEFAULT_MODEL)));
    expect(existsSync(join(BUILD_CONTEXT, "models/default.onnx"))).toBe(true);
  });

  it("copies exactly the packages left out of the bundle and what they need at run time", () => {
    const [run] = esbuildRuns(segment);
    const copied = final.copies.flatMap((copy) =>
      copy.from ? copy.sources.map((source) => source.split("/node_modules/")[1]) : [],
    );
    expect(copied.filter(Boolean).sort()).toEqual(runtimeClosure(run.externals).sort());
  });

  it("keeps only onnxruntime-node's linux x64 binaries", () => {
    const prune = segment[0].instructions.find(({ args }) =>
      args.includes("node_modules/onnxruntime-node/bin"),
    );
    expect(prune?.args).toContain("! -path '*/linux/x64' -exec rm -rf {} +");
  });
});

describe("training image", () => {
  const final = training.at(-1)!;

  it("runs on CUDA 11.2 with cuDNN 8, its CMD the bundled entrypoint", () => {
    expect(final.image).toMatch(/^nvidia\/cuda:11\.2(\.\d+)?-cudnn8-runtime-/);
    // the CUDA image has no Node: the official Node 22 image's binary is copied in
    const binary = final.copies.find((copy) => copy.destination === "/usr/local/bin/node");
    expect(training.find((stage) => stage.name === binary?.from)?.image).toMatch(/^node:22[.-]/);
    const [node, script] = final.cmd ?? [];
    expect(node).toBe("node");
    const producer = producerOf(training, posix.resolve(final.workdir, script));
    expect(producer?.entry).toBe("training-container/entrypoint.ts");
  });

  it("installs tfjs-node-gpu at the version of the project's tfjs", () => {
    const { dependencies } = JSON.parse(read("package.json")) as {
      dependencies: Record<string, string>;
    };
    const install = final.instructions.find(({ args }) => args.includes("tfjs-node-gpu@"));
    expect(install?.args).toContain(
      `@tensorflow/tfjs-node-gpu@${dependencies["@tensorflow/tfjs"]}`,
    );
  });
});

interface LockedPackage {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  os?: string[];
  cpu?: string[];
  libc?: string[];
}

/**
 * What onnxruntime-node needs only to install (its postinstall script downloads CUDA libraries);
 * its dist/ requires onnxruntime-common alone.
 */
const INSTALL_ONLY = new Set(["adm-zip", "global-agent"]);

/**
 * The packages `roots` load on Lambda (linux, x64, glibc), after package-lock.json: their
 * dependencies and the optional ones for that platform, transitively.
 */
function runtimeClosure(roots: string[]): string[] {
  const { packages } = JSON.parse(read("package-lock.json")) as {
    packages: Record<string, LockedPackage>;
  };
  const fits = (pkg: LockedPackage) =>
    (!pkg.os || pkg.os.includes("linux")) &&
    (!pkg.cpu || pkg.cpu.includes("x64")) &&
    (!pkg.libc || pkg.libc.includes("glibc"));
  // npm's resolution: the nearest node_modules/<name> up from the requiring package.
  const resolve = (from: string, name: string): string => {
    for (let dir = from; ; dir = dir.replace(/\/?node_modules\/(@[^/]+\/)?[^/]+$/, "")) {
      const key = `${dir ? `${dir}/` : ""}node_modules/${name}`;
      if (packages[key]) return key;
      if (!dir) throw new Error(`${name} (required from ${from}) is not in package-lock.json`);
    }
  };
  const found = new Set<string>();
  const visit = (key: string) => {
    if (found.has(key)) return;
    found.add(key);
    const pkg = packages[key];
    const optional = Object.keys(pkg.optionalDependencies ?? {}).filter((name) => {
      const locked = packages[resolve(key, name)];
      return locked && fits(locked);
    });
    for (const name of [...Object.keys(pkg.dependencies ?? {}), ...optional]) {
      if (!INSTALL_ONLY.has(name)) visit(resolve(key, name));
    }
  };
  for (const root of roots) visit(resolve("", root));
  return [...found].map((key) => key.replace(/^node_modules\//, ""));
}
