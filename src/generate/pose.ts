/**
 * A chromosome as it is placed into a sample: decimated, rotated, cropped to its mask.
 */
import { cropPlane, positiveBox } from "../image/crop.js";
import { decimatePlane } from "../image/decimate.js";
import type { Chromosome } from "../image/find-chromosomes.js";

/** Grey values (0 outside the mask) and mask of one chromosome, `width` × `height`, row-major. */
export interface Pose {
  width: number;
  height: number;
  grey: Uint8Array;
  mask: Uint8Array;
  /** Mask pixels. */
  area: number;
}

/** Keeps every second row and column, as the public dataset was made. */
export function decimate(chromosome: Chromosome): Pose {
  const grey = decimatePlane(chromosome.grey, chromosome.width, chromosome.height);
  const mask = decimatePlane(chromosome.mask, chromosome.width, chromosome.height);
  return cropToMask({
    width: grey.width,
    height: grey.height,
    grey: grey.data,
    mask: mask.data,
    area: 0,
  });
}

/**
 * Rotates a pose by `degrees` (counter-clockwise on screen) about its centre: the mask with
 * nearest-neighbour sampling, so no new label values appear; grey bilinearly, then zeroed
 * outside the rotated mask.
 */
export function rotate(pose: Pose, degrees: number): Pose {
  const radians = (degrees * Math.PI) / 180;
  const cos = Math.cos(radians);
  const sin = Math.sin(radians);
  const width = Math.ceil(Math.abs(pose.width * cos) + Math.abs(pose.height * sin)) + 2;
  const height = Math.ceil(Math.abs(pose.width * sin) + Math.abs(pose.height * cos)) + 2;
  const grey = new Uint8Array(width * height);
  const mask = new Uint8Array(width * height);
  const cx = pose.width / 2;
  const cy = pose.height / 2;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // inverse map the pixel centre into the source
      const dx = x + 0.5 - width / 2;
      const dy = y + 0.5 - height / 2;
      const sx = cos * dx - sin * dy + cx - 0.5;
      const sy = sin * dx + cos * dy + cy - 0.5;
      const nx = Math.round(sx);
      const ny = Math.round(sy);
      if (
        nx < 0 ||
        ny < 0 ||
        nx >= pose.width ||
        ny >= pose.height ||
        !pose.mask[ny * pose.width + nx]
      )
        continue;
      mask[y * width + x] = 1;
      grey[y * width + x] = bilinear(pose, sx, sy);
    }
  }
  return cropToMask({ width, height, grey, mask, area: 0 });
}

function bilinear(pose: Pose, sx: number, sy: number): number {
  const x0 = Math.floor(sx);
  const y0 = Math.floor(sy);
  const fx = sx - x0;
  const fy = sy - y0;
  const at = (x: number, y: number) =>
    x >= 0 && y >= 0 && x < pose.width && y < pose.height ? pose.grey[y * pose.width + x] : 0;
  const value =
    (1 - fy) * ((1 - fx) * at(x0, y0) + fx * at(x0 + 1, y0)) +
    fy * ((1 - fx) * at(x0, y0 + 1) + fx * at(x0 + 1, y0 + 1));
  return Math.round(value);
}

function cropToMask(pose: Pose): Pose {
  const box = positiveBox(pose.mask, pose.width, pose.height);
  if (!box)
    return { width: 0, height: 0, grey: new Uint8Array(0), mask: new Uint8Array(0), area: 0 };
  const mask = cropPlane(pose.mask, pose.width, box);
  return {
    width: box.x1 - box.x0,
    height: box.y1 - box.y0,
    grey: cropPlane(pose.grey, pose.width, box),
    mask,
    area: mask.reduce((sum, v) => sum + v, 0),
  };
}
