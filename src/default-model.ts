/**
 * The model shipped in the package's models/ folder (see models/README.md), found one level above
 * the code like package.json (src/version.ts): from src/, dist/ or the Lambda image's build/.
 */
import { relative } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * SegNet lite trained on the `slides` preset: what `chromoseg segment` uses unless given `--model`,
 * and what the segment function (in AWS and in `chromoseg local`) uses while the bucket has none.
 */
export const DEFAULT_MODEL = fileURLToPath(new URL("../models/default.onnx", import.meta.url));

/** How --help names DEFAULT_MODEL. */
export const DEFAULT_MODEL_NAME = `the shipped ${relative(fileURLToPath(new URL("..", import.meta.url)), DEFAULT_MODEL)}`;
