/**
 * Turns samples (uint8 planes) into the network's input and target for one batch: padded to the
 * model's size, normalised, optionally augmented.
 */
import type { SampleSet } from "../data/samples.js";
import { normalizeGrey, padPlanes } from "../model/input.js";
import type { Random } from "../random.js";
import { SYMMETRIES, transformPlane } from "../image/symmetries.js";
import { jitterGrey, scaleOverlapGrey } from "./augment.js";

export interface Augmentation {
  random: Random;
  /** Flips and 90° rotations. */
  symmetries: boolean;
  /** Grey jitter amount (0 = none), see `jitterGrey`. */
  jitter: number;
  /**
   * Lowest overlap gain: each sample's overlap grey is scaled by a random factor in [this, 1]
   * (1 = off), see `scaleOverlapGrey`.
   */
  overlapGain: number;
}

export interface Batch {
  count: number;
  /** Padded plane size. */
  height: number;
  width: number;
  /** [count, height, width, 1], values 0–1. */
  input: Float32Array;
  /** [count, height, width], labels 0–3 (padding is background). */
  labels: Uint8Array;
}

/** Assembles the samples `indices` of `set`, padded to `height` × `width`. */
export function assembleBatch(
  set: SampleSet,
  indices: ArrayLike<number>,
  height: number,
  width: number,
  augmentation?: Augmentation,
): Batch {
  const count = indices.length;
  const px = set.height * set.width;
  const input = new Float32Array(count * height * width);
  const labels = new Uint8Array(count * height * width);
  const grey = new Uint8Array(px);
  const label = new Uint8Array(px);
  for (let k = 0; k < count; k++) {
    const s = indices[k];
    let sourceGrey = set.grey.subarray(s * px, (s + 1) * px);
    let sourceLabels = set.labels.subarray(s * px, (s + 1) * px);
    let size = { height: set.height, width: set.width };
    if (augmentation) {
      const symmetry = augmentation.symmetries
        ? SYMMETRIES[Math.floor(augmentation.random() * 8)]
        : SYMMETRIES[0];
      size = transformPlane(sourceGrey, set.height, set.width, symmetry, grey);
      transformPlane(sourceLabels, set.height, set.width, symmetry, label);
      if (augmentation.overlapGain < 1) {
        const gain =
          augmentation.overlapGain + (1 - augmentation.overlapGain) * augmentation.random();
        scaleOverlapGrey(grey, label, gain);
      }
      if (augmentation.jitter > 0) jitterGrey(grey, augmentation.jitter, augmentation.random);
      sourceGrey = grey;
      sourceLabels = label;
    }
    const offset = k * height * width;
    padPlanes(
      sourceGrey,
      1,
      size.height,
      size.width,
      height,
      width,
      input.subarray(offset),
      normalizeGrey,
    );
    padPlanes(sourceLabels, 1, size.height, size.width, height, width, labels.subarray(offset));
  }
  return { count, height, width, input, labels };
}
