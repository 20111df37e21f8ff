/**
 * The bucket's layout: one home for the prefixes and the image suffixes, read by the
 * infrastructure (infra/), the upload handler (lambdas/segment), the training container and the
 * local emulation (the model pointer's key, models/latest.json, is model-pointer.ts's). Keep it
 * free of heavy imports: `cdk synth` loads it.
 */
import { IMAGE_SUFFIXES, isImageName } from "../image/image-files.js";

export { IMAGE_SUFFIXES, isImageName };

/** Images to segment are uploaded here; each new one triggers the segment function. */
export const UPLOADS_PREFIX = "uploads/";
/** The segment function writes here, and only here, so it can never trigger itself. */
export const RESULTS_PREFIX = "results/";
/** Trained models (ONNX) and the pointer to the current one. */
export const MODELS_PREFIX = "models/";
/** Training datasets (HDF5, Kaggle layout). */
export const DATASETS_PREFIX = "datasets/";

/**
 * The suffixes the upload trigger matches. S3 notification filters are case-sensitive and take
 * one suffix each, so each image suffix is registered in lower and in upper case: `.tif` and `.TIF`
 * trigger, mixed case such as `.Tif` does not (rename before uploading). `isImageName` accepts any
 * case, so the handler never refuses what the trigger lets through.
 */
export const TRIGGER_SUFFIXES: readonly string[] = IMAGE_SUFFIXES.flatMap((suffix) => [
  suffix,
  suffix.toUpperCase(),
]);

/** Whether S3 invokes the segment function for a new object with this key (what AWS matches). */
export function triggersSegmentation(key: string): boolean {
  return key.startsWith(UPLOADS_PREFIX) && TRIGGER_SUFFIXES.some((suffix) => key.endsWith(suffix));
}

/**
 * An object key as S3 event notifications carry it: URL-encoded, with `+` for a space
 * (`uploads/day+1/%C3%A9t%C3%A9.png` is `uploads/day 1/été.png`).
 */
export function decodeEventKey(raw: string): string {
  return decodeURIComponent(raw.replace(/\+/g, " "));
}

/** The folder of an upload's results: results/<path after uploads/>/ (the file name included). */
export function resultsFolderFor(uploadKey: string): string {
  if (!uploadKey.startsWith(UPLOADS_PREFIX))
    throw new Error(`${uploadKey} is not under ${UPLOADS_PREFIX}`);
  return `${RESULTS_PREFIX}${uploadKey.slice(UPLOADS_PREFIX.length)}/`;
}

/**
 * Whether `key` has a `.` or `..` path segment (`uploads/../x.png`, `uploads/./a.png`). S3 keeps
 * such a key literal; a bucket kept in a folder would resolve it, possibly outside the folder.
 */
export function hasDotSegments(key: string): boolean {
  return key.split("/").some((segment) => segment === "." || segment === "..");
}

/** The inverse of `decodeEventKey`: a key as S3 puts it into an event notification. */
export function encodeEventKey(key: string): string {
  return encodeURIComponent(key).replace(/%20/g, "+").replace(/%2F/g, "/");
}
