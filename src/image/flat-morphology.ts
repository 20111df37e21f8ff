/**
 * Grey-level morphology with a flat structuring element, with OpenCV's conventions (erode,
 * dilate, morphologyEx): both take the neighbourhood the element's anchor places on each pixel
 * (dilation does not reflect the element), and pixels outside the image never win (OpenCV's
 * default border: the type's maximum for erosion, its minimum for dilation). On 0/1 masks with a
 * symmetric element these are also scikit-image's binary_erosion / binary_dilation.
 */
import type { GreyImage } from "./grey-image.js";
import type { StructuringElement } from "./structuring-element.js";
import { elementRuns } from "./structuring-element.js";

/** Each pixel becomes the minimum of its neighbourhood. */
export function erode(image: GreyImage, element: StructuringElement): GreyImage {
  return neighbourhoodMinimum(image, element);
}

/** Each pixel becomes the maximum of its neighbourhood (the minimum of the complement, complemented). */
export function dilate(image: GreyImage, element: StructuringElement): GreyImage {
  const eroded = neighbourhoodMinimum(complement(image), element);
  return complement(eroded);
}

/** Erosion then dilation with the same element (OpenCV MORPH_OPEN). */
export function opening(image: GreyImage, element: StructuringElement): GreyImage {
  return dilate(erode(image, element), element);
}

/**
 * The image minus its opening, clipped at 0 (OpenCV MORPH_TOPHAT): what is brighter than its
 * surroundings and smaller than the element. The clip matters for an element that is not
 * symmetric about its anchor (any even size): dilating without reflecting can then raise a
 * pixel above its original value.
 */
export function whiteTopHat(image: GreyImage, element: StructuringElement): GreyImage {
  const opened = opening(image, element);
  const data = new Uint8Array(image.data.length);
  for (let i = 0; i < data.length; i++) data[i] = Math.max(0, image.data[i] - opened.data[i]);
  return { width: image.width, height: image.height, data };
}

function complement(image: GreyImage): GreyImage {
  const data = new Uint8Array(image.data.length);
  for (let i = 0; i < data.length; i++) data[i] = 255 - image.data[i];
  return { width: image.width, height: image.height, data };
}

/** Value outside the image for a minimum: it never wins. */
const OUTSIDE = 255;

/**
 * The element is a union of horizontal runs, so the minimum over it is the minimum, over its
 * runs, of 1-D sliding minima of the run's length taken in the run's row: one sliding minimum
 * per distinct run length and image row (van Herk / Gil–Werman, 3 comparisons a pixel), then
 * one comparison per run and pixel.
 */
function neighbourhoodMinimum(image: GreyImage, element: StructuringElement): GreyImage {
  const { width, height, data } = image;
  const runs = elementRuns(element);
  const padLeft = Math.max(0, ...runs.map((r) => -r.dx));
  const padRight = Math.max(0, ...runs.map((r) => r.dx + r.length - 1));
  const padded = width + padLeft + padRight;
  const row = new Uint8Array(padded);
  const scratch = { prefix: new Uint8Array(padded), suffix: new Uint8Array(padded) };
  const minima = new Map<number, Uint8Array>();
  for (const length of new Set(runs.map((r) => r.length)))
    minima.set(length, new Uint8Array(height * padded));
  for (let y = 0; y < height; y++) {
    row.fill(OUTSIDE);
    row.set(data.subarray(y * width, (y + 1) * width), padLeft);
    for (const [length, plane] of minima)
      slidingMinimum(row, length, plane.subarray(y * padded, (y + 1) * padded), scratch);
  }
  const out = new Uint8Array(width * height).fill(OUTSIDE);
  for (const { dy, dx, length } of runs) {
    const plane = minima.get(length)!;
    for (let y = Math.max(0, -dy); y < Math.min(height, height - dy); y++) {
      const from = (y + dy) * padded + dx + padLeft;
      const to = y * width;
      for (let x = 0; x < width; x++) {
        const v = plane[from + x];
        if (v < out[to + x]) out[to + x] = v;
      }
    }
  }
  return { width, height, data: out };
}

/**
 * out[i] = min(values[i … i + length − 1]) for every window that fits in `values`: the minimum
 * of the suffix of i's block of `length` and the prefix of the next block's.
 */
function slidingMinimum(
  values: Uint8Array,
  length: number,
  out: Uint8Array,
  { prefix, suffix }: { prefix: Uint8Array; suffix: Uint8Array },
): void {
  const n = values.length;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    prefix[i] = i % length === 0 || v < prefix[i - 1] ? v : prefix[i - 1];
  }
  for (let i = n - 1; i >= 0; i--) {
    const v = values[i];
    suffix[i] = i === n - 1 || (i + 1) % length === 0 || v < suffix[i + 1] ? v : suffix[i + 1];
  }
  for (let i = 0; i + length <= n; i++) {
    const a = suffix[i];
    const b = prefix[i + length - 1];
    out[i] = a < b ? a : b;
  }
}
