/**
 * Flat structuring elements for grey and binary morphology, built exactly as the libraries the
 * published dataset was made with build them (OpenCV's ellipse, scikit-image's disk).
 */
import { roundHalfEven } from "./round.js";

/**
 * A flat structuring element: the pixels (x, y) of a width × height mask that are 1, placed so
 * that its anchor lies on the pixel being computed. The neighbourhood of pixel (u, v) is
 * { (u + x − anchorX, v + y − anchorY) : mask(x, y) = 1 }.
 */
export interface StructuringElement {
  width: number;
  height: number;
  anchorX: number;
  anchorY: number;
  /** width × height, row-major, 0 or 1. */
  mask: Uint8Array;
}

/**
 * OpenCV's `getStructuringElement(MORPH_ELLIPSE, (width, height))` with its default anchor
 * (width / 2, height / 2, integer division): row i holds columns c − dx … c + dx (clipped to the
 * mask) where r = height / 2, c = width / 2 and dx = cvRound(c · √((r² − (i − r)²) / r²)).
 * For an even size the ellipse is not symmetric: 50 × 50 has one pixel in its first row and 15
 * in its last, and reaches column 0 but not column 50.
 */
export function opencvEllipse(width: number, height: number): StructuringElement {
  const r = Math.floor(height / 2);
  const c = Math.floor(width / 2);
  const inverseR2 = r ? 1 / (r * r) : 0;
  const mask = new Uint8Array(width * height);
  for (let i = 0; i < height; i++) {
    const dy = i - r;
    if (Math.abs(dy) > r) continue;
    const dx = roundHalfEven(c * Math.sqrt((r * r - dy * dy) * inverseR2));
    mask.fill(1, i * width + Math.max(c - dx, 0), i * width + Math.min(c + dx + 1, width));
  }
  return { width, height, anchorX: c, anchorY: r, mask };
}

/** scikit-image's `disk(radius)`: the (2·radius + 1)² square's pixels with x² + y² ≤ radius², centred. */
export function disk(radius: number): StructuringElement {
  const size = 2 * radius + 1;
  const mask = new Uint8Array(size * size);
  for (let y = -radius; y <= radius; y++)
    for (let x = -radius; x <= radius; x++)
      if (x * x + y * y <= radius * radius) mask[(y + radius) * size + x + radius] = 1;
  return { width: size, height: size, anchorX: radius, anchorY: radius, mask };
}

/** A horizontal run of the element: `length` pixels from column offset dx, in row offset dy (both from the anchor). */
export interface ElementRun {
  dy: number;
  dx: number;
  length: number;
}

/** The element as horizontal runs, row by row: grey morphology works on them with 1-D sliding minima. */
export function elementRuns(element: StructuringElement): ElementRun[] {
  const { width, height, anchorX, anchorY, mask } = element;
  const runs: ElementRun[] = [];
  for (let y = 0; y < height; y++) {
    let x = 0;
    while (x < width) {
      if (!mask[y * width + x]) {
        x++;
        continue;
      }
      const start = x;
      while (x < width && mask[y * width + x]) x++;
      runs.push({ dy: y - anchorY, dx: start - anchorX, length: x - start });
    }
  }
  return runs;
}
