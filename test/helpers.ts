import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs";
import { afterAll } from "vitest";
import { seededRandom } from "../src/random.js";

export const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));
export const DAPI_CROP = join(FIXTURES, "dapi-jpp21-m3-crop.tif");
export const CROSSING_CROP = join(FIXTURES, "jpp21-m1-crossing-crop.tif");
/** The bundled metaphase (samples/DAPI.tif): 46 chromosomes, none crossing. */
export const SAMPLE_SLIDE = fileURLToPath(new URL("../samples/DAPI.tif", import.meta.url));
/** A 94 × 93 sample of the replica dataset's kaggle test split, and its labels (0–3). */
export const REPLICA_SAMPLE = join(FIXTURES, "replica-sample.png");
export const REPLICA_SAMPLE_LABELS = join(FIXTURES, "replica-sample-labels.png");

/** A temporary folder removed after the test file. */
export function temporaryFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), "chromoseg-test-"));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  return folder;
}

/**
 * `parent`/input/ holding plain.png and symbolic links: linked.png to an image and "day 2" to a
 * folder (holding pair.tif), both in `parent`/elsewhere/; loop to input/ itself; broken.png to
 * nothing; notes.txt to nothing. Images are copies of REPLICA_SAMPLE.
 */
export function linkedFolder(parent: string): { input: string; elsewhere: string } {
  const input = join(parent, "input");
  const elsewhere = join(parent, "elsewhere");
  mkdirSync(input, { recursive: true });
  mkdirSync(join(elsewhere, "day 2"), { recursive: true });
  copyFileSync(REPLICA_SAMPLE, join(input, "plain.png"));
  copyFileSync(REPLICA_SAMPLE, join(elsewhere, "pair.png"));
  copyFileSync(REPLICA_SAMPLE, join(elsewhere, "day 2", "pair.tif"));
  symlinkSync(join(elsewhere, "pair.png"), join(input, "linked.png"));
  symlinkSync(join(elsewhere, "day 2"), join(input, "day 2"));
  symlinkSync(".", join(input, "loop"));
  symlinkSync(join(elsewhere, "gone.png"), join(input, "broken.png"));
  symlinkSync(join(elsewhere, "gone.txt"), join(input, "notes.txt"));
  return { input, elsewhere };
}

/**
 * Gives every batch norm of `model` seeded, non-trivial moving statistics and affine terms, so
 * that folding them into convolutions is really exercised.
 */
export function randomizeBatchNorms(model: tf.LayersModel, seed: number): void {
  const random = seededRandom(seed);
  for (const layer of model.layers) {
    if (layer.getClassName() !== "BatchNormalization") continue;
    // gamma, beta, moving mean, moving variance
    const around = [1, 0, 0, 1];
    layer.setWeights(
      layer.getWeights().map((w, i) =>
        tf.tensor(
          Float32Array.from({ length: w.size }, () => around[i] + 0.4 * (random() - 0.5)),
          w.shape,
        ),
      ),
    );
  }
}

/** A SegNet lite exported by chromoseg export (see fixtures/README.md). */
export const LITE_MODEL = join(FIXTURES, "segnet-lite.onnx");
