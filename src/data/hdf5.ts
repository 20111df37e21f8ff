/**
 * Kaggle-layout HDF5 files, read and written with h5wasm: a dataset of shape
 * (N, height, width, 2), channel 0 grey (0–255), channel 1 label (0–3), and optionally a
 * `pair_ids` dataset (N, 2) int32 with the chromosomes that made each sample.
 */
import { closeSync, existsSync, openSync, readSync, renameSync, rmSync, statSync } from "node:fs";
import { Dataset, File, ready } from "h5wasm/node";
import { UserError } from "../errors.js";
import {
  applyLabelPolicy,
  countNonWholeLabel,
  emptyCleaning,
  refuseNonClassLabels,
} from "./label-policy.js";
import type { LabelCleaning, LabelPolicy } from "./label-policy.js";
import { allocateSamples } from "./samples.js";
import type { SampleSet } from "./samples.js";

/** The key of the original public file. */
export const KAGGLE_KEY = "dataset_1";
/** The key of the "Cleaned" public file. */
export const CLEANED_KEY = "13434_overlapping_chrom_pairs_LowRes";
export const PAIR_IDS_KEY = "pair_ids";
export const DEFAULT_COMPRESSION_LEVEL = 6;

/**
 * h5wasm, with HDF5's errors thrown as JS errors instead of its diagnostic stack printed on
 * stderr (40 lines for a truncated file).
 */
const h5wasmReady = ready.then((module) => module.activate_throwing_error_handler());

/** The best ratio deflate reaches; the compressed datasets this reads are gzip'd. */
const MAX_COMPRESSION_RATIO = 1032;

/** Element types this project reads and writes. */
export type SampleDtype = "int64" | "int32" | "uint8" | "float32" | "float64";
export const SAMPLE_DTYPES: readonly SampleDtype[] = ["int64", "int32", "uint8", "float32", "float64"];

const H5_DTYPE: Record<SampleDtype, string> = {
  int64: "<q",
  int32: "<i",
  uint8: "<B",
  float32: "<f",
  float64: "<d",
};

const TYPE_NAMES: Record<string, string> = {
  b: "int8",
  B: "uint8",
  h: "int16",
  H: "uint16",
  i: "int32",
  I: "uint32",
  q: "int64",
  Q: "uint64",
  e: "float16",
  f: "float32",
  d: "float64",
};

/** Names an h5wasm numeric type string such as `<q`. */
function dtypeName(h5: string): string {
  const name = TYPE_NAMES[h5.slice(-1)] ?? h5;
  return h5.startsWith(">") ? `${name} (big-endian)` : name;
}

/** What a dataset file holds, without its samples. */
export interface DatasetInfo {
  file: string;
  key: string;
  count: number;
  height: number;
  width: number;
  /** Element type, e.g. `int64`, `uint8`, `float32`; `(big-endian)` appended when it is. */
  dtype: string;
  /** Attributes of the sample dataset (how a generated set was made). */
  attributes: Record<string, unknown>;
  hasPairIds: boolean;
}

/** Samples read from a file, with what the label policy changed. */
export interface LoadedDataset {
  info: DatasetInfo;
  samples: SampleSet;
  /**
   * Pixels per whole-number label value 0–255 as stored, before the label policy (values above
   * 255 count as 255); the others are counted by kind in `cleaning`.
   */
  storedLabelHistogram: Float64Array;
  cleaning: LabelCleaning;
}

export interface ReadOptions {
  /** The dataset's key. Default: `dataset_1`, else the Cleaned file's key. */
  key?: string;
  /** Default `clean`. */
  labels?: LabelPolicy;
  /** Samples decoded per h5wasm read. Default 32. */
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

const HDF5_SIGNATURE = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);

const NUMERIC_DTYPE = /^[<>|]?[bhiqBHIQefd]$/;

function unreadable(file: string, reason: string): UserError {
  return new UserError(`${file}: not a readable HDF5 file (${reason})`);
}

/** Throws a UserError unless `file` exists and starts with the HDF5 signature. */
function assertHdf5File(file: string): void {
  if (!existsSync(file)) throw new UserError(`${file}: no such file`);
  if (statSync(file).isDirectory()) throw new UserError(`${file}: is a folder, expected an HDF5 file`);
  const head = Buffer.alloc(8);
  const fd = openSync(file, "r");
  try {
    readSync(fd, head, 0, 8, 0);
  } finally {
    closeSync(fd);
  }
  if (!head.equals(HDF5_SIGNATURE)) {
    throw unreadable(file, "no HDF5 signature at its start");
  }
}

/**
 * An error HDF5 threw (its whole diagnostic stack) as one line made by `message` from the
 * stack's innermost reason; any other error as it is.
 */
function oneLine(error: unknown, message: (reason: string) => UserError): unknown {
  if (!(error instanceof Error) || !error.message.startsWith("HDF5-DIAG")) return error;
  const entries = error.message.match(/^\s*#\d+: .*$/gm) ?? [];
  return message(entries.at(-1)?.replace(/^.*?\(\): /, "") ?? "HDF5 error");
}

/** Opens `file` for reading, runs `work` on it and closes it. */
async function withHdf5File<T>(file: string, work: (f: File) => T): Promise<T> {
  await h5wasmReady;
  assertHdf5File(file);
  let f: File | undefined;
  try {
    f = new File(file, "r");
    return work(f);
  } catch (error) {
    throw oneLine(error, (reason) => unreadable(file, reason));
  } finally {
    f?.close();
  }
}

function findSampleDataset(f: File, file: string, key?: string): Dataset {
  const keys = f.keys();
  const chosen = key ?? [KAGGLE_KEY, CLEANED_KEY].find((k: string) => keys.includes(k));
  const entity = chosen === undefined ? null : f.get(chosen);
  if (!(entity instanceof Dataset)) {
    const wanted = key ? `key "${key}"` : `key "${KAGGLE_KEY}" or "${CLEANED_KEY}"`;
    const found = keys.length ? keys.map((k) => `"${k}"`).join(", ") : "none";
    throw new UserError(`${file}: no dataset with ${wanted}; keys found: ${found} (choose one with --key)`);
  }
  return entity;
}

function describe(f: File, ds: Dataset, file: string): DatasetInfo {
  const shape = ds.shape ?? [];
  if (shape.length !== 4 || shape[3] !== 2) {
    throw new UserError(
      `${file}: dataset "${ds.path.slice(1)}" has shape (${shape.join(", ")}); expected (N, height, width, 2): channel 0 grey, channel 1 label`,
    );
  }
  const [count, height, width] = shape;
  if (count === 0 || height === 0 || width === 0) {
    throw new UserError(`${file}: dataset "${ds.path.slice(1)}" is empty (shape ${shape.join(" × ")})`);
  }
  if (typeof ds.dtype !== "string" || !NUMERIC_DTYPE.test(ds.dtype)) {
    throw new UserError(`${file}: dataset "${ds.path.slice(1)}" has type ${String(ds.dtype)}; expected integers or floats`);
  }
  assertFileCanHold(ds, file, count, height, width);
  const attributes: Record<string, unknown> = {};
  for (const name of Object.keys(ds.attrs)) attributes[name] = ds.get_attribute(name, true);
  return {
    file,
    key: ds.path.slice(1),
    count,
    height,
    width,
    dtype: dtypeName(ds.dtype),
    attributes,
    hasPairIds: f.keys().includes(PAIR_IDS_KEY),
  };
}

/**
 * Refuses a sample count the file is too small to hold (a damaged or crafted header), before
 * anything is allocated for it.
 */
function assertFileCanHold(ds: Dataset, file: string, count: number, height: number, width: number): void {
  const sampleBytes = height * width * 2 * ds.metadata.size;
  const fileBytes = statSync(file).size;
  const compressed = ds.filters.length > 0;
  const most = Math.floor((fileBytes * (compressed ? MAX_COMPRESSION_RATIO : 1)) / sampleBytes);
  if (count <= most) return;
  throw new UserError(
    `${file}: dataset "${ds.path.slice(1)}" declares ${count} samples of ${height} × ${width} ${dtypeName(ds.dtype as string)}, ` +
      `but the file's ${fileBytes} bytes hold at most ${most} samples${compressed ? `, even compressed ${MAX_COMPRESSION_RATIO}:1` : ""}`,
  );
}

/** Reads only the description of a dataset file. */
export async function readDatasetInfo(file: string, key?: string): Promise<DatasetInfo> {
  return withHdf5File(file, (f) => describe(f, findSampleDataset(f, file, key), file));
}

/**
 * Reads a whole dataset in batches into bytes, applying the label policy. Grey values are
 * rounded and clamped to 0–255; whole-number labels above 255 count as 255, other labels
 * (negative, fractional, NaN) are counted and stored as background. `strict` reads the whole
 * file before refusing it, so that its error gives the file's counts.
 */
export async function loadDataset(file: string, options: ReadOptions = {}): Promise<LoadedDataset> {
  const policy = options.labels ?? "clean";
  return withHdf5File(file, (f) => {
    const ds = findSampleDataset(f, file, options.key);
    const info = describe(f, ds, file);
    const { count, height, width } = info;
    const samples = allocateSamples(count, height, width);
    const cleaning = emptyCleaning();
    const storedLabelHistogram = new Float64Array(256);
    const px = height * width;
    const batch = options.batchSize ?? 32;
    for (let start = 0; start < count; start += batch) {
      const n = Math.min(batch, count - start);
      const raw = ds.slice([[start, start + n]]);
      const grey = samples.grey.subarray(start * px, (start + n) * px);
      const labels = samples.labels.subarray(start * px, (start + n) * px);
      splitChannels(raw, grey, labels, storedLabelHistogram, cleaning);
      applyLabelPolicy(labels, n, height, width, policy, cleaning);
      options.onProgress?.(start + n, count);
    }
    if (policy === "strict") refuseNonClassLabels(cleaning, file);
    if (info.hasPairIds) samples.pairIds = readPairIds(f, file, count);
    return { info, samples, storedLabelHistogram, cleaning };
  });
}

function readPairIds(f: File, file: string, count: number): Int32Array {
  const ds = f.get(PAIR_IDS_KEY);
  const shape = ds instanceof Dataset ? ds.shape : null;
  if (!(ds instanceof Dataset) || !shape || shape[0] !== count || shape[1] !== 2) {
    throw new UserError(`${file}: "${PAIR_IDS_KEY}" must be a dataset of shape (${count}, 2)`);
  }
  return Int32Array.from(ds.value as ArrayLike<number>, Number);
}

type NumericArray =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array;

/**
 * De-interleaves (…, 2) values into grey and label bytes, counting the stored labels in
 * `histogram` and `cleaning`. 64-bit integers are read through their low 32-bit words (values
 * here fit easily), which avoids a BigInt per element.
 */
function splitChannels(
  raw: unknown,
  grey: Uint8Array,
  labels: Uint8Array,
  histogram: Float64Array,
  cleaning: LabelCleaning,
): void {
  if (raw instanceof BigInt64Array || raw instanceof BigUint64Array) {
    const words = new Int32Array(raw.buffer, raw.byteOffset, raw.length * 2);
    for (let i = 0; i < grey.length; i++) {
      grey[i] = clampByte(int64Value(words, 4 * i));
      labels[i] = labelByte(int64Value(words, 4 * i + 2), histogram, cleaning);
    }
    return;
  }
  const values = raw as NumericArray;
  for (let i = 0; i < grey.length; i++) {
    grey[i] = clampByte(Math.round(values[2 * i]));
    labels[i] = labelByte(values[2 * i + 1], histogram, cleaning);
  }
}

/**
 * The byte of a stored label: a whole number ≥ 0 as it is (above 255 as 255), counted in
 * `histogram`; any other value as background, counted by kind in `cleaning`.
 */
function labelByte(value: number, histogram: Float64Array, cleaning: LabelCleaning): number {
  if (value >= 0 && (value % 1 === 0 || value === Infinity)) {
    const byte = value > 255 ? 255 : value;
    histogram[byte]++;
    return byte;
  }
  countNonWholeLabel(value, cleaning);
  return 0;
}

/** The little-endian int64 at word `w`, or ±Infinity when it does not fit 32 bits. */
function int64Value(words: Int32Array, w: number): number {
  const low = words[w];
  const high = words[w + 1];
  if (high === 0 && low >= 0) return low;
  if (high === -1 && low < 0) return low;
  return high < 0 ? -Infinity : Infinity;
}

function clampByte(v: number): number {
  return v <= 0 || Number.isNaN(v) ? 0 : v >= 255 ? 255 : v;
}

/**
 * Samples to write: a SampleSet, or samples whose values go beyond bytes (the kaggle preset's
 * grey sums reach about 400, and its spline rotation leaves a few values below 0).
 */
export type WritableSamples = Omit<SampleSet, "grey" | "labels"> & {
  grey: Uint8Array | Int16Array;
  labels: Uint8Array | Int8Array;
};

export interface WriteOptions {
  /** Default `dataset_1`; the Cleaned file's key for cleaned labels. */
  key?: string;
  /** Default `int64`, the public file's type. */
  dtype?: SampleDtype;
  /**
   * gzip level 0–9; 0 stores uncompressed. Default 6. The public file used 9, which h5wasm's
   * single-threaded zlib writes about 8× slower (98 s against 10 s for 13434 samples of int64)
   * for a file 8 % smaller.
   */
  compressionLevel?: number;
  /** Attributes stored on the sample dataset. */
  attributes?: Record<string, string | number>;
  /** Samples encoded per h5wasm write. Default 256. */
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Writes samples in the Kaggle layout under `dataset_1` (or `options.key`), one sample per
 * chunk, plus `pair_ids` when the set has them. The file appears under its name only once complete.
 */
export async function writeDataset(file: string, set: WritableSamples, options: WriteOptions = {}): Promise<void> {
  await h5wasmReady;
  const dtype = options.dtype ?? "int64";
  assertFitsDtype(set, dtype);
  const level = options.compressionLevel ?? DEFAULT_COMPRESSION_LEVEL;
  if (!Number.isInteger(level) || level < 0 || level > 9) {
    throw new UserError(`compression level must be an integer 0–9, got ${level}`);
  }
  const { count, height, width } = set;
  const partial = `${file}.partial`;
  let open: File | undefined;
  try {
    const h5 = (open = atFixedTime(() => new File(partial, "w")));
    const ds = atFixedTime(() => {
      const created = h5.create_dataset({
        name: options.key ?? KAGGLE_KEY,
        data: newTypedArray(dtype, 0),
        shape: [0, height, width, 2],
        maxshape: [null, height, width, 2],
        dtype: H5_DTYPE[dtype],
        chunks: [1, height, width, 2],
        ...(level > 0 ? { compression: "gzip" as const, compression_opts: level } : {}),
      });
      created.resize([count, height, width, 2]);
      for (const [name, value] of Object.entries(options.attributes ?? {})) created.create_attribute(name, value);
      return created;
    });
    const px = height * width;
    const batch = options.batchSize ?? 256;
    const buffer = newTypedArray(dtype, Math.min(batch, count) * px * 2);
    for (let start = 0; start < count; start += batch) {
      const n = Math.min(batch, count - start);
      const out = buffer.subarray(0, n * px * 2);
      interleave(set.grey.subarray(start * px, (start + n) * px), set.labels.subarray(start * px, (start + n) * px), out);
      atFixedTime(() => ds.write_slice([[start, start + n]], out));
      options.onProgress?.(start + n, count);
    }
    const { pairIds } = set;
    if (pairIds) atFixedTime(() => h5.create_dataset({ name: PAIR_IDS_KEY, data: pairIds, shape: [count, 2], dtype: "<i" }));
    open = undefined; // a failure to close must not close it again
    atFixedTime(() => h5.close());
  } catch (error) {
    open?.close();
    rmSync(partial, { force: true });
    throw oneLine(error, (reason) => new UserError(`${file}: could not write HDF5 (${reason})`));
  }
  renameSync(partial, file);
}

/**
 * Runs h5wasm calls with the clock at the epoch. HDF5 stamps object headers with the time, which
 * would make two runs with the same seed differ; h5wasm does not expose the property that turns
 * the stamps off, and its C library reads the time through `Date.now`.
 */
function atFixedTime<T>(work: () => T): T {
  const now = Date.now;
  Date.now = () => 0;
  try {
    return work();
  } finally {
    Date.now = now;
  }
}

type WritableArray = BigInt64Array | Int32Array | Uint8Array | Float32Array | Float64Array;

function newTypedArray(dtype: SampleDtype, length: number): WritableArray {
  switch (dtype) {
    case "int64":
      return new BigInt64Array(length);
    case "int32":
      return new Int32Array(length);
    case "uint8":
      return new Uint8Array(length);
    case "float32":
      return new Float32Array(length);
    case "float64":
      return new Float64Array(length);
  }
}

/** Refuses values uint8 cannot hold, rather than wrapping them; the other types hold them all. */
function assertFitsDtype(set: WritableSamples, dtype: SampleDtype): void {
  if (dtype !== "uint8") return;
  for (const [name, values] of [["grey", set.grey], ["label", set.labels]] as const) {
    if (values instanceof Uint8Array) continue;
    const outside = values.find((v) => v < 0 || v > 255);
    if (outside !== undefined)
      throw new UserError(`${name} value ${outside} does not fit uint8: choose --dtype int64, int32 or a float type`);
  }
}

/** Interleaves grey and labels into (…, 2); int64 is written through its 32-bit words. */
function interleave(grey: WritableSamples["grey"], labels: WritableSamples["labels"], out: WritableArray): void {
  if (out instanceof BigInt64Array) {
    const words = new Int32Array(out.buffer, out.byteOffset, out.length * 2);
    for (let i = 0; i < grey.length; i++) {
      words[4 * i] = grey[i];
      words[4 * i + 1] = grey[i] >> 31; // the sign, extended
      words[4 * i + 2] = labels[i];
      words[4 * i + 3] = labels[i] >> 31;
    }
    return;
  }
  for (let i = 0; i < grey.length; i++) {
    out[2 * i] = grey[i];
    out[2 * i + 1] = labels[i];
  }
}
