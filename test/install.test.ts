import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const read = (file: string) =>
  JSON.parse(readFileSync(new URL(`../${file}`, import.meta.url), "utf8"));

/** The environment without the npm_* variables of the npm that may be running these tests. */
function userShellEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
}

describe("installing and running through npm", () => {
  it("runs npx chromoseg in the repository without npm warnings about its configuration", async () => {
    const { stdout, stderr } = await promisify(execFile)(
      "npm",
      ["exec", "--", "chromoseg", "--help"],
      { cwd: ROOT, env: userShellEnv() },
    );
    expect(stdout).toMatch(/^Usage: chromoseg /);
    expect(stderr).not.toMatch(/Unknown \w+ config/);
  });

  it("decides every locked install script in allowScripts, onnxruntime-node's (CUDA downloads) denied", () => {
    const { allowScripts = {} } = read("package.json") as {
      allowScripts?: Record<string, boolean>;
    };
    const { packages } = read("package-lock.json") as {
      packages: Record<string, { hasInstallScript?: boolean }>;
    };
    const withScripts = Object.entries(packages)
      .filter(([, pkg]) => pkg.hasInstallScript)
      .map(([key]) => key.replace(/^.*node_modules\//, ""));
    expect(withScripts.length).toBeGreaterThan(0);
    expect(Object.keys(allowScripts).sort()).toEqual([...new Set(withScripts)].sort());
    expect(allowScripts["onnxruntime-node"]).toBe(false);
  });
});
