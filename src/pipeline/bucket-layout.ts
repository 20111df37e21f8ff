/**
 * The bucket's layout: one home for the prefixes, the model pointer and the image suffixes, read by
 * the infrastructure (infra/), the upload handler (lambdas/segment), the training container and the
 * local emulation. Keep it free of heavy imports: `cdk synth` loads it.
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
/** JSON object naming the model the segment function uses; training rewrites it. */
export const MODEL_POINTER_KEY = `${MODELS_PREFIX}latest.json`;

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
