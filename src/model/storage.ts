/**
 * Saves and loads tfjs LayersModels as files in the tfjs layout (model.json + weights.bin), the
 * same files tfjs-node's `file://` handler writes and reads, without needing tfjs-node.
 */
import { mkdir, readFile, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { UserError } from "../errors.js";
import { writeFileAtomically } from "../files.js";
import "./unpool.js"; // registers MaxUnpooling2D for deserialisation

export const MODEL_JSON = "model.json";
export const WEIGHTS_BIN = "weights.bin";

/** Writes `dir`/model.json and `dir`/weights.bin; each file appears whole or not at all. */
export async function saveModel(
  model: tf.LayersModel,
  dir: string,
  options: { includeOptimizer?: boolean } = {},
): Promise<void> {
  await mkdir(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology!,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        trainingConfig: artifacts.trainingConfig,
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
      };
      await writeFileAtomically(join(dir, WEIGHTS_BIN), Buffer.from(weights));
      await writeFileAtomically(join(dir, MODEL_JSON), JSON.stringify(modelJson));
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: "JSON",
          weightDataBytes: weights.byteLength,
        },
      };
    }),
    { includeOptimizer: options.includeOptimizer ?? false },
  );
}

/** The folder of a model given as its folder or its model.json. */
export async function modelFolder(path: string): Promise<string> {
  return (await isDirectory(path)) ? path : dirname(path);
}

/** Loads a model from a folder holding model.json, or from the model.json file itself. */
export async function loadModel(path: string): Promise<tf.LayersModel> {
  const file = (await isDirectory(path)) ? join(path, MODEL_JSON) : path;
  let modelJson: tf.io.ModelJSON;
  try {
    modelJson = JSON.parse(await readFile(file, "utf8")) as tf.io.ModelJSON;
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : "not a tfjs model.json";
    throw new UserError(
      `${file}: ${reason}; expected a model saved by chromoseg train (model.json + weights.bin)`,
    );
  }
  if (!modelJson.modelTopology || !modelJson.weightsManifest) {
    throw new UserError(`${file}: not a tfjs LayersModel (no modelTopology or weightsManifest)`);
  }
  const artifacts = await tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
    const buffers = await Promise.all(
      manifest.flatMap((group) => group.paths.map((p) => readFile(join(dirname(file), p)))),
    );
    const bytes = Buffer.concat(buffers);
    const data = bytes.buffer.slice(
      bytes.byteOffset,
      bytes.byteOffset + bytes.byteLength,
    ) as ArrayBuffer;
    return [manifest.flatMap((group) => group.weights), data];
  });
  return tf.loadLayersModel(tf.io.fromMemory(artifacts));
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
