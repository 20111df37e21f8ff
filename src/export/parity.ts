/**
 * The exporter's built-in check: tfjs and onnxruntime on the same inputs, random and real, at
 * the training size (94 × 93 padded to 96 × 96) and a larger non-square one.
 */
import * as tf from "@tensorflow/tfjs";
import { NUM_CLASSES } from "../classes.js";
import { SAMPLE_FRAME } from "../data/samples.js";
import { decimatePlane } from "../image/decimate.js";
import { readGreyImage } from "../image/grey-image.js";
import type { GreyImage } from "../image/grey-image.js";
import { SAMPLE_METAPHASE } from "../sample-images.js";
import { normalizedBatch, padUp } from "../model/input.js";
import { UserError } from "../errors.js";
import { OnnxModel } from "../onnx/onnx-model.js";
import { mostProbable } from "../model/probabilities.js";
import { seededRandom } from "../random.js";
import type { ParityFigures } from "../onnx/metadata.js";

/** The largest |Δ probability| an export may show on real crops. */
export const MAX_ABS_DIFFERENCE = 1e-4;
/**
 * The largest |Δ probability| on the random crops. Uniform noise drives the activations far above
 * any micrograph's, and the rounding of the two engines grows with them (the switches' ramp turns
 * it into ε / τ, model/unpool.ts): the slides model of 3 December 2026, epoch 4, showed 1.45e-4 on
 * noise against 1.1e-5 and 1.8e-5 on the real crops. A wrong graph shows on the real crops too.
 */
export const NOISE_MAX_ABS_DIFFERENCE = 1e-3;
/** The smallest fraction of pixels whose argmax must agree. */
export const MIN_ARGMAX_AGREEMENT = 0.9999;

/** One batch of inputs: normalised, padded, [count, height, width, 1]. */
interface ParityBatch {
  what: string;
  noise: boolean;
  count: number;
  height: number;
  width: number;
  input: Float32Array;
}

/**
 * Compares the two on `real` (an 8-bit grey image at the training resolution, such as a metaphase
 * decimated ÷ 2): 4 random crops of 94 × 93, 8 crops of 94 × 93 from `real`, and one 152 × 200.
 */
export async function checkParity(
  model: tf.LayersModel,
  onnxBytes: Uint8Array,
  real: GreyImage,
  divisor: number,
): Promise<ParityFigures> {
  const batches = parityBatches(real, divisor);
  const onnxModel = await OnnxModel.fromBytes(onnxBytes, "export");
  let maxAbsDifference = 0;
  let noiseMaxAbsDifference = 0;
  let agreeing = 0;
  let pixels = 0;
  try {
    for (const batch of batches) {
      const expected = tf.tidy(() =>
        (
          model.predict(
            tf.tensor4d(batch.input, [batch.count, batch.height, batch.width, 1]),
          ) as tf.Tensor
        ).dataSync(),
      );
      const actual = await onnxModel.probabilities(
        batch.input,
        batch.count,
        batch.height,
        batch.width,
      );
      let difference = 0;
      for (let i = 0; i < expected.length; i++)
        difference = Math.max(difference, Math.abs(expected[i] - actual[i]));
      if (batch.noise) noiseMaxAbsDifference = Math.max(noiseMaxAbsDifference, difference);
      else maxAbsDifference = Math.max(maxAbsDifference, difference);
      for (let p = 0; p < expected.length / NUM_CLASSES; p++)
        if (mostProbable(expected, p) === mostProbable(actual, p)) agreeing++;
      pixels += expected.length / NUM_CLASSES;
    }
  } finally {
    await onnxModel.release();
  }
  return {
    maxAbsDifference,
    noiseMaxAbsDifference,
    argmaxAgreement: agreeing / pixels,
    pixels,
    inputs: batches.map((b) => b.what),
    tfjsBackend: tf.getBackend(),
  };
}

export function parityPasses(figures: ParityFigures): boolean {
  return (
    figures.maxAbsDifference <= MAX_ABS_DIFFERENCE &&
    (figures.noiseMaxAbsDifference ?? 0) <= NOISE_MAX_ABS_DIFFERENCE &&
    figures.argmaxAgreement >= MIN_ARGMAX_AGREEMENT
  );
}

/** The figures against their limits, in one line. */
export function describeParity(figures: ParityFigures): string {
  return (
    `max |Δ probability| ${figures.maxAbsDifference.toExponential(2)} on real crops (limit ${MAX_ABS_DIFFERENCE}), ` +
    `${(figures.noiseMaxAbsDifference ?? NaN).toExponential(2)} on random crops (limit ${NOISE_MAX_ABS_DIFFERENCE}), ` +
    `argmax agreement ${(100 * figures.argmaxAgreement).toFixed(4)} % (limit ${100 * MIN_ARGMAX_AGREEMENT} %)`
  );
}

/**
 * A metaphase brought to the training resolution (decimated ÷ 2), for `checkParity`'s real crops.
 * @param file full-resolution image; default the bundled sample metaphase
 */
export async function loadParityImage(file = SAMPLE_METAPHASE): Promise<GreyImage> {
  const slide = (await readGreyImage(file)).image;
  return decimatePlane(slide.data, slide.width, slide.height);
}

/** The largest real crop the check cuts. */
const LARGE_CROP = { height: 152, width: 200 };

function parityBatches(real: GreyImage, divisor: number): ParityBatch[] {
  if (real.width < LARGE_CROP.width || real.height < LARGE_CROP.height)
    throw new UserError(
      `the parity image is ${real.width} × ${real.height} at the training resolution; the check needs ` +
        `${LARGE_CROP.width} × ${LARGE_CROP.height} (a metaphase of at least ${2 * LARGE_CROP.width} × ${2 * LARGE_CROP.height})`,
    );
  const random = seededRandom(1);
  const frame = `${SAMPLE_FRAME.height} × ${SAMPLE_FRAME.width}`;
  const noise = (): GreyImage => ({
    ...SAMPLE_FRAME,
    data: Uint8Array.from({ length: SAMPLE_FRAME.width * SAMPLE_FRAME.height }, () =>
      Math.floor(random() * 256),
    ),
  });
  const windows = (count: number, height: number, width: number) =>
    Array.from({ length: count }, (_, k) => ({
      x: Math.floor(((k + 1) * (real.width - width)) / (count + 1)),
      y: Math.floor(((k % 3) * (real.height - height)) / 2),
    })).map(({ x, y }) => cropGrey(real, x, y, width, height));
  return [
    batchOf(
      `4 random crops, ${frame} padded to 96 × 96`,
      Array.from({ length: 4 }, noise),
      divisor,
      true,
    ),
    batchOf(
      `8 real crops, ${frame} padded to 96 × 96`,
      windows(8, SAMPLE_FRAME.height, SAMPLE_FRAME.width),
      divisor,
      false,
    ),
    batchOf(
      `1 real crop, ${LARGE_CROP.height} × ${LARGE_CROP.width}`,
      windows(1, LARGE_CROP.height, LARGE_CROP.width),
      divisor,
      false,
    ),
  ];
}

function batchOf(what: string, crops: GreyImage[], divisor: number, noise: boolean): ParityBatch {
  const height = padUp(crops[0].height, divisor);
  const width = padUp(crops[0].width, divisor);
  return {
    what,
    noise,
    count: crops.length,
    height,
    width,
    input: normalizedBatch(crops, height, width),
  };
}

function cropGrey(
  image: GreyImage,
  x0: number,
  y0: number,
  width: number,
  height: number,
): GreyImage {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const from = (y0 + y) * image.width + x0;
    data.set(image.data.subarray(from, from + width), y * width);
  }
  return { width, height, data };
}
