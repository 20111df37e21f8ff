import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { File, ready } from "h5wasm/node";
import { beforeAll, describe, expect, it } from "vitest";
import { CLEANED_KEY, KAGGLE_KEY, SAMPLE_DTYPES, loadDataset, readDatasetInfo, writeDataset } from "../../src/data/hdf5.js";
import { emptyCleaning } from "../../src/data/label-policy.js";
import { allocateSamples } from "../../src/data/samples.js";
import type { SampleSet } from "../../src/data/samples.js";
import { temporaryFolder } from "../helpers.js";

const folder = temporaryFolder();

/** Three 6 × 5 samples with every label and a spread of grey values. */
function smallSet(): SampleSet {
  const set = allocateSamples(3, 6, 5);
  for (let i = 0; i < set.grey.length; i++) {
    set.grey[i] = (i * 37) % 256;
    set.labels[i] = i % 4;
  }
  set.pairIds = Int32Array.from([0, 1, 1, 2, 0, 2]);
  return set;
}

/** Writes (N, H, W, 2) int64 values with h5wasm directly, the way the public files are laid out. */
function writeRaw(file: string, key: string, shape: number[], values: number[], dtype = "<q"): void {
  const f = new File(file, "w");
  const data =
    dtype === "<q"
      ? BigInt64Array.from(values, BigInt)
      : dtype === "<d"
        ? Float64Array.from(values)
        : Int32Array.from(values);
  f.create_dataset({ name: key, data, shape, dtype, chunks: shape.length ? [1, ...shape.slice(1)] : null, compression: "gzip", compression_opts: 9 });
  f.close();
}

beforeAll(async () => {
  await ready;
});

describe("writeDataset / loadDataset", () => {
  for (const dtype of SAMPLE_DTYPES) {
    it(`round-trips ${dtype}`, async () => {
      const set = smallSet();
      const file = join(folder, `round-${dtype}.h5`);
      await writeDataset(file, set, { dtype, attributes: { seed: 7, generator: "test" } });
      const loaded = await loadDataset(file, { labels: "strict" });
      expect(loaded.info).toMatchObject({ key: KAGGLE_KEY, dtype, count: 3, height: 6, width: 5, hasPairIds: true });
      expect(loaded.info.attributes).toEqual({ seed: 7, generator: "test" });
      expect(loaded.samples.grey).toEqual(set.grey);
      expect(loaded.samples.labels).toEqual(set.labels);
      expect(loaded.samples.pairIds).toEqual(set.pairIds);
    });
  }

  it("writes int64, gzip and one sample per chunk by default, like the public file", async () => {
    const file = join(folder, "default.h5");
    await writeDataset(file, smallSet());
    await ready;
    const f = new File(file, "r");
    const ds = f.get(KAGGLE_KEY) as import("h5wasm/node").Dataset;
    expect(ds.dtype).toBe("<q");
    expect(ds.shape).toEqual([3, 6, 5, 2]);
    expect(ds.filters.map((filter) => filter.name)).toEqual(["deflate"]);
    f.close();
  });

  it("reads the Cleaned file's key and any key given", async () => {
    const values = Array.from({ length: 2 * 4 * 4 * 2 }, (_, i) => (i % 2 ? (i >> 1) % 4 : 100));
    const cleaned = join(folder, "cleaned.h5");
    writeRaw(cleaned, CLEANED_KEY, [2, 4, 4, 2], values);
    expect((await loadDataset(cleaned)).info.key).toBe(CLEANED_KEY);
    const other = join(folder, "other.h5");
    writeRaw(other, "my_pairs", [2, 4, 4, 2], values, "<i");
    const loaded = await loadDataset(other, { key: "my_pairs" });
    expect(loaded.info.dtype).toBe("int32");
    expect(Array.from(loaded.samples.grey.slice(0, 3))).toEqual([100, 100, 100]);
  });

  it("writes grey sums above 255 and values below 0 exactly, under the key asked for", async () => {
    const grey = Int16Array.from([402, -15, 0, 255]);
    const labels = Int8Array.from([3, 0, -1, 4]);
    const file = join(folder, "wide.h5");
    await writeDataset(file, { count: 1, height: 2, width: 2, grey, labels }, { key: CLEANED_KEY });
    const f = new File(file, "r");
    expect(f.keys()).toEqual([CLEANED_KEY]);
    const stored = Array.from((f.get(CLEANED_KEY) as import("h5wasm/node").Dataset).value as BigInt64Array, Number);
    f.close();
    expect(stored).toEqual([402, 3, -15, 0, 0, -1, 255, 4]);
  });

  it("refuses uint8 for values it cannot hold instead of wrapping them", async () => {
    const wide = { count: 1, height: 1, width: 2, grey: Int16Array.from([402, 7]), labels: Int8Array.from([3, 1]) };
    await expect(writeDataset(join(folder, "wrapped.h5"), wide, { dtype: "uint8" })).rejects.toThrow(
      /grey value 402 does not fit uint8/,
    );
  });
});

describe("bad input", () => {
  it("names a missing file", async () => {
    await expect(loadDataset(join(folder, "nope.h5"))).rejects.toThrow(/nope\.h5: no such file/);
  });

  it("refuses a file that is not HDF5", async () => {
    const file = join(folder, "text.h5");
    writeFileSync(file, "hello, not hdf5");
    await expect(loadDataset(file)).rejects.toThrow(/text\.h5: not a readable HDF5 file \(no HDF5 signature/);
  });

  it("says in one line when HDF5 cannot write a file", async () => {
    const file = join(folder, "missing-folder", "out.h5");
    await expect(writeDataset(file, smallSet())).rejects.toThrow(
      /^\S*out\.h5: could not write HDF5 \(unable to open file: name = '.*out\.h5\.partial'.*\)$/,
    );
  });

  it("refuses a truncated file in one line, naming what HDF5 found", async () => {
    const whole = join(folder, "whole.h5");
    await writeDataset(whole, smallSet());
    const file = join(folder, "truncated.h5");
    writeFileSync(file, readFileSync(whole).subarray(0, 1000));
    await expect(readDatasetInfo(file)).rejects.toThrow(
      /^\S*truncated\.h5: not a readable HDF5 file \(truncated file: eof = 1000, .*\)$/,
    );
  });

  /** A dataset declaring `count` samples of 88 × 88 with no sample written: the file stays tiny. */
  function hollowFile(name: string, count: number, compression: boolean): string {
    const file = join(folder, name);
    const f = new File(file, "w");
    const ds = f.create_dataset({
      name: KAGGLE_KEY,
      data: new Int32Array(0),
      shape: [0, 88, 88, 2],
      maxshape: [null, 88, 88, 2],
      dtype: "<i",
      chunks: [1, 88, 88, 2],
      ...(compression ? { compression: "gzip" as const, compression_opts: 6 } : {}),
    });
    ds.resize([count, 88, 88, 2]);
    f.close();
    return file;
  }

  it("refuses a sample count the file is far too small to hold, before reading", async () => {
    const plain = hollowFile("hollow.h5", 100_000_000, false);
    await expect(loadDataset(plain)).rejects.toThrow(
      /hollow\.h5: dataset "dataset_1" declares 100000000 samples of 88 × 88 int32, but the file's \d{3} bytes hold at most 0 samples$/,
    );
    const compressed = hollowFile("hollow-gzip.h5", 1000, true);
    await expect(readDatasetInfo(compressed)).rejects.toThrow(
      /hollow-gzip\.h5: dataset "dataset_1" declares 1000 samples of 88 × 88 int32, but the file's \d{3} bytes hold at most \d samples, even compressed 1032:1$/,
    );
  });

  it("accepts a compressed file whose samples compress well", async () => {
    const file = join(folder, "blank.h5");
    await writeDataset(file, allocateSamples(200, 88, 88), { compressionLevel: 9 });
    expect((await readDatasetInfo(file)).count).toBe(200);
  });

  it("lists the keys found when the key is missing", async () => {
    const file = join(folder, "keys.h5");
    writeRaw(file, "images", [1, 2, 2, 2], [1, 0, 1, 0, 1, 0, 1, 0]);
    await expect(loadDataset(file)).rejects.toThrow(/no dataset with key "dataset_1" or "13434_overlapping_chrom_pairs_LowRes"; keys found: "images"/);
    await expect(loadDataset(file, { key: "pairs" })).rejects.toThrow(/no dataset with key "pairs"; keys found: "images"/);
  });

  it("refuses a wrong rank or channel count", async () => {
    const rank = join(folder, "rank.h5");
    writeRaw(rank, KAGGLE_KEY, [2, 3, 3], new Array(18).fill(0));
    await expect(loadDataset(rank)).rejects.toThrow(/shape \(2, 3, 3\); expected \(N, height, width, 2\)/);
    const channels = join(folder, "channels.h5");
    writeRaw(channels, KAGGLE_KEY, [1, 2, 2, 3], new Array(12).fill(0));
    await expect(loadDataset(channels)).rejects.toThrow(/shape \(1, 2, 2, 3\)/);
  });

  it("refuses an empty dataset", async () => {
    const file = join(folder, "empty.h5");
    await writeDataset(file, allocateSamples(1, 2, 2));
    const f = new File(file, "a");
    (f.get(KAGGLE_KEY) as import("h5wasm/node").Dataset).resize([0, 2, 2, 2]);
    f.close();
    await expect(readDatasetInfo(file)).rejects.toThrow(/is empty/);
  });
});

describe("label policies", () => {
  /** One 5 × 5 sample: a chromosome (1) with one pixel of 4 and an isolated speck of 2 inside, and a lone 3 in the corner. */
  function noisyFile(): string {
    const labels = [
      [0, 0, 0, 0, 3],
      [0, 1, 1, 1, 0],
      [0, 1, 2, 1, 0],
      [0, 1, 4, 1, 0],
      [0, 1, 1, 1, 0],
    ].flat();
    const file = join(folder, "noisy.h5");
    writeRaw(file, KAGGLE_KEY, [1, 5, 5, 2], labels.flatMap((l) => [l ? 120 : 0, l]));
    return file;
  }

  it("strict refuses out-of-range labels with their count", async () => {
    await expect(loadDataset(noisyFile(), { labels: "strict" })).rejects.toThrow(
      /noisy\.h5: 1 label pixels are not 0–3 \(1 above 3\)/,
    );
  });

  /** One 3 × 4 float64 sample whose labels include every kind of value that is no class. */
  function oddLabelsFile(): string {
    const labels = [0, -1, 0.5, NaN, 4, 1, 2, 3, -0.5, 2.5, 4, 1];
    const file = join(folder, "odd.h5");
    writeRaw(file, KAGGLE_KEY, [1, 3, 4, 2], labels.flatMap((l) => [50, l]), "<d");
    return file;
  }

  it("strict refuses negative, fractional and NaN labels, counting each kind over the whole file", async () => {
    await expect(loadDataset(oddLabelsFile(), { labels: "strict", batchSize: 1 })).rejects.toThrow(
      /odd\.h5: 7 label pixels are not 0–3 \(2 above 3, 2 negative, 2 fractional, 1 NaN\)/,
    );
  });

  it("clip and clean set negative, fractional and NaN labels to background and count them", async () => {
    for (const labels of ["clip", "clean"] as const) {
      const { samples, cleaning, storedLabelHistogram } = await loadDataset(oddLabelsFile(), { labels });
      expect(cleaning).toMatchObject({ outOfRange: 2, negative: 2, fractional: 2, notANumber: 1 });
      expect(Array.from(storedLabelHistogram.slice(0, 5))).toEqual([1, 2, 1, 1, 2]);
      if (labels === "clip") expect(Array.from(samples.labels)).toEqual([0, 0, 0, 0, 0, 1, 2, 3, 0, 0, 0, 1]);
    }
  });

  it("clip sets them to background and leaves specks", async () => {
    const { samples, cleaning, storedLabelHistogram } = await loadDataset(noisyFile(), { labels: "clip" });
    expect(cleaning).toEqual({ ...emptyCleaning(), outOfRange: 1 });
    expect(storedLabelHistogram[4]).toBe(1);
    expect(samples.labels[3 * 5 + 2]).toBe(0);
    expect(samples.labels[2 * 5 + 2]).toBe(2);
  });

  it("clean also gives isolated specks their neighbours' majority", async () => {
    const { samples, cleaning } = await loadDataset(noisyFile(), { labels: "clean" });
    // the 4 becomes background (0), which is then a speck among 1s; the speck of 2 and the lone 3 go too
    expect(cleaning).toEqual({ ...emptyCleaning(), outOfRange: 1, specks: 3 });
    expect(samples.labels[2 * 5 + 2]).toBe(1);
    expect(samples.labels[3 * 5 + 2]).toBe(1);
    expect(samples.labels[4]).toBe(0);
  });
});
