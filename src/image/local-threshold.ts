/**
 * scikit-image's local threshold, method 'gaussian' (threshold_adaptive in 0.12, threshold_local
 * since): a pixel is foreground when it is brighter than the Gaussian-weighted mean of its
 * neighbourhood, sigma = (blockSize − 1) / 6, image borders mirrored (mode 'reflect'), offset 0.
 */
import type { GreyImage } from "./grey-image.js";
import { gaussianFilter } from "./gaussian-filter.js";

/** 1 where image > its Gaussian-weighted local mean, else 0. */
export function gaussianLocalThreshold(image: GreyImage, blockSize: number): Uint8Array {
  const mean = gaussianFilter(image, (blockSize - 1) / 6);
  const mask = new Uint8Array(image.data.length);
  for (let i = 0; i < mask.length; i++) mask[i] = image.data[i] > mean[i] ? 1 : 0;
  return mask;
}
