/**
 * The segmentation engine's entry: image bytes → label map PNG, overlay PNG and report, for every
 * caller (the CLI's segment and bench commands now; the Lambda handler and the local pipeline).
 */
import { basename } from "node:path";
import { NUM_CLASSES, byClass } from "../classes.js";
import type { ClassName } from "../classes.js";
import { ImageError } from "../errors.js";
import { decodeGreyImage } from "../image/grey-image.js";
import type { BitDepthScaling, DecodeOptions } from "../image/grey-image.js";
import { encodeInstanceOverlay, encodeLabelMap, encodeOverlay } from "../render/overlay.js";
import { VERSION } from "../version.js";
import type { OnnxModel } from "../onnx/onnx-model.js";
import { segmentCrops } from "./segment-crops.js";
import type { CropOptions } from "./segment-crops.js";
import { cocoChromosomes } from "./coco.js";
import type { CocoDataset } from "./coco.js";
import { segmentSlide } from "./segment-slide.js";
import type { SlideObjectReport } from "./segment-slide.js";

/** `crop`: the image is one sample at the training resolution; `slide`: a whole metaphase. */
export type SegmentMode = "crop" | "slide";
export const SEGMENT_MODES: readonly (SegmentMode | "auto")[] = ["auto", "crop", "slide"];

/** `auto` takes images up to this many pixels on both sides as crops, larger ones as slides. */
export const CROP_MODE_MAX_SIDE = 256;
/**
 * Crop mode runs the network over the whole image at once; beyond this its activations would
 * take gigabytes (16 float32 channels per pixel in the first block). Slide mode has no such limit.
 */
export const CROP_MODE_MAX_PIXELS = 4_000_000;

export interface SegmentOptions extends CropOptions, DecodeOptions {
  /** Default `auto`. */
  mode?: SegmentMode | "auto";
}

export interface SegmentReport {
  /** The name the image was given by (file path or object key). */
  image: string;
  width: number;
  height: number;
  /** How the values were brought to 8 bits. */
  scaling: BitDepthScaling;
  /** True when a colour image was reduced to its luminance. */
  luminance: boolean;
  /** The number of pages of a multi-page file (TIFF), of which the first was segmented. */
  pages?: number;
  sha256: string;
  mode: SegmentMode;
  tta: boolean;
  model: OnnxModel["description"];
  /** Pixels per predicted class over the whole image. */
  pixels: Record<ClassName, number>;
  /** Any pixel labelled overlap (crop mode), or any object overlapping (slide mode). */
  overlapFound: boolean;
  /** Slide mode: every object the finder saw, segmented or not. */
  objects?: SlideObjectReport[];
  /** Slide mode: the chromosomes of the segmented objects (nuclei and debris excluded). */
  chromosomeCount?: number;
  /** Slide mode: the objects whose chromosomes could not be told apart, with the reason. */
  unresolved?: { object: number; reason: string }[];
  /** Milliseconds per stage; `find` only in slide mode. */
  timings: { decode: number; find?: number; inference: number; encode: number };
}

/** Milliseconds of all stages of a report together. */
export function totalMilliseconds({ timings: t }: SegmentReport): number {
  return t.decode + (t.find ?? 0) + t.inference + t.encode;
}

export interface SegmentOutputs {
  /** 8-bit grey PNG, values 0–3. */
  labelsPng: Buffer;
  /** RGB PNG, the input with the classes tinted. */
  overlayPng: Buffer;
  /** Slide mode: every chromosome in COCO instance format (see coco.ts). */
  chromosomes?: CocoDataset;
  report: SegmentReport;
}

/** Throws a UserError with a one-line reason for input that is not a usable image. */
export async function segmentImage(
  model: OnnxModel,
  bytes: Uint8Array,
  name: string,
  options: SegmentOptions = {},
): Promise<SegmentOutputs> {
  const clock = stopwatch();
  const decoded = await decodeGreyImage(bytes, name, options);
  const { image } = decoded;
  const decode = clock();
  const mode = chooseMode(options.mode ?? "auto", image.width, image.height);
  let labels: Uint8Array;
  let slide: Awaited<ReturnType<typeof segmentSlide>> | undefined;
  if (mode === "slide") {
    slide = await segmentSlide(model, image, options);
    labels = slide.labels;
  } else {
    if (image.width * image.height > CROP_MODE_MAX_PIXELS)
      throw new ImageError(
        `${name}: ${image.width} × ${image.height} is too large for crop mode (at most ${CROP_MODE_MAX_PIXELS} pixels); use slide mode`,
        "too-large",
      );
    [labels] = await segmentCrops(model, [image], options);
  }
  const inference = clock() - (slide?.findMs ?? 0);
  const [labelsPng, overlayPng] = await Promise.all([
    encodeLabelMap(labels, image.width, image.height),
    slide ? encodeInstanceOverlay(image, slide.instances) : encodeOverlay(image, labels),
  ]);
  const encode = clock();
  const pixels = countClasses(labels);
  return {
    labelsPng,
    overlayPng,
    chromosomes:
      slide &&
      cocoChromosomes(
        { name: basename(name), width: image.width, height: image.height },
        slide.instances,
        `chromoseg ${VERSION}`,
      ),
    report: {
      image: name,
      width: image.width,
      height: image.height,
      scaling: decoded.scaling,
      luminance: decoded.luminance,
      pages: decoded.pages,
      sha256: decoded.sha256,
      mode,
      tta: options.tta ?? false,
      model: model.description,
      pixels,
      overlapFound: slide ? slide.objects.some((o) => o.overlapping) : pixels.overlap > 0,
      objects: slide?.objects,
      chromosomeCount: slide?.chromosomeCount,
      unresolved: slide?.objects.flatMap((o) =>
        o.unresolved ? [{ object: o.id, reason: o.unresolved }] : [],
      ),
      timings: { decode, find: slide?.findMs, inference, encode },
    },
  };
}

function chooseMode(mode: SegmentMode | "auto", width: number, height: number): SegmentMode {
  if (mode !== "auto") return mode;
  return width <= CROP_MODE_MAX_SIDE && height <= CROP_MODE_MAX_SIDE ? "crop" : "slide";
}

function countClasses(labels: Uint8Array): Record<ClassName, number> {
  const counts = new Array<number>(NUM_CLASSES).fill(0);
  for (const label of labels) counts[label]++;
  return byClass(counts);
}

/** Each call returns the milliseconds since the previous one. */
function stopwatch(): () => number {
  let last = performance.now();
  return () => {
    const now = performance.now();
    const elapsed = now - last;
    last = now;
    return elapsed;
  };
}
