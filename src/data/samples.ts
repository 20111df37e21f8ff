/**
 * Samples of an overlapping-pair dataset held as bytes, never as JS numbers: 13434 samples of
 * 94 × 93 take 235 MB this way.
 */

/**
 * The frame of the public dataset's samples, and so the training resolution: 94 rows × 93
 * columns. The generator draws its pairs into it; benchmarks and the export's parity check cut
 * crops of its size.
 */
export const SAMPLE_FRAME = { height: 94, width: 93 } as const;

/** Grey values and labels of `count` samples, each `height` × `width`, row-major. */
export interface SampleSet {
  count: number;
  height: number;
  width: number;
  /** Grey value 0–255 of sample i, row y, column x at index (i × height + y) × width + x. */
  grey: Uint8Array;
  /** Label at the same index: 0 background, 1 chromosome A, 2 chromosome B, 3 overlap. */
  labels: Uint8Array;
  /**
   * (count, 2): the ids of the chromosomes that made each sample, the one labelled 1 first.
   * Present in generated datasets, absent in the public one.
   */
  pairIds?: Int32Array;
}

export function pixelsPerSample(set: Pick<SampleSet, "height" | "width">): number {
  return set.height * set.width;
}

/** Allocates an empty set of `count` samples. */
export function allocateSamples(count: number, height: number, width: number): SampleSet {
  const size = count * height * width;
  return { count, height, width, grey: new Uint8Array(size), labels: new Uint8Array(size) };
}

/** The samples at `indices`, copied into a new set (pair ids too, when present). */
export function selectSamples(set: SampleSet, indices: ArrayLike<number>): SampleSet {
  const out = allocateSamples(indices.length, set.height, set.width);
  const px = pixelsPerSample(set);
  for (let k = 0; k < indices.length; k++) {
    const from = indices[k] * px;
    out.grey.set(set.grey.subarray(from, from + px), k * px);
    out.labels.set(set.labels.subarray(from, from + px), k * px);
  }
  if (set.pairIds) {
    const ids = new Int32Array(indices.length * 2);
    for (let k = 0; k < indices.length; k++) {
      ids[2 * k] = set.pairIds[2 * indices[k]];
      ids[2 * k + 1] = set.pairIds[2 * indices[k] + 1];
    }
    out.pairIds = ids;
  }
  return out;
}
