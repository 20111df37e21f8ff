import type { GreyImage } from "./grey-image.js";

/**
 * Estimates the slowly varying background of a fluorescence image and subtracts it.
 *
 * The image is cut into `tile` × `tile` tiles; each tile's background is a low percentile of its
 * pixels, then the minimum over the tile and its 8 neighbours (so a tile covered by a nucleus
 * takes its neighbours' value), interpolated bilinearly between tile centres.
 * Tiles must be wider than a chromosome: 64 px at 100× magnification.
 */
export function subtractBackground(image: GreyImage, tile = 64, percentile = 0.2): GreyImage {
  const { width, height, data } = image;
  const cols = Math.ceil(width / tile);
  const rows = Math.ceil(height / tile);
  const level = new Float64Array(cols * rows);
  const histogram = new Int32Array(256);
  for (let ty = 0; ty < rows; ty++) {
    for (let tx = 0; tx < cols; tx++) {
      histogram.fill(0);
      let n = 0;
      for (let y = ty * tile; y < Math.min(height, (ty + 1) * tile); y++) {
        for (let x = tx * tile; x < Math.min(width, (tx + 1) * tile); x++) {
          histogram[data[y * width + x]]++;
          n++;
        }
      }
      let seen = 0;
      let v = 0;
      while (v < 255 && (seen += histogram[v]) < n * percentile) v++;
      level[ty * cols + tx] = v;
    }
  }
  const floor = new Float64Array(cols * rows);
  for (let ty = 0; ty < rows; ty++) {
    for (let tx = 0; tx < cols; tx++) {
      let min = Infinity;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const x = tx + dx;
          const y = ty + dy;
          if (x >= 0 && y >= 0 && x < cols && y < rows) min = Math.min(min, level[y * cols + x]);
        }
      }
      floor[ty * cols + tx] = min;
    }
  }
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const gy = Math.min(rows - 1, Math.max(0, (y + 0.5) / tile - 0.5));
    const y0 = Math.floor(gy);
    const y1 = Math.min(rows - 1, y0 + 1);
    const fy = gy - y0;
    for (let x = 0; x < width; x++) {
      const gx = Math.min(cols - 1, Math.max(0, (x + 0.5) / tile - 0.5));
      const x0 = Math.floor(gx);
      const x1 = Math.min(cols - 1, x0 + 1);
      const fx = gx - x0;
      const background =
        (1 - fy) * ((1 - fx) * floor[y0 * cols + x0] + fx * floor[y0 * cols + x1]) +
        fy * ((1 - fx) * floor[y1 * cols + x0] + fx * floor[y1 * cols + x1]);
      out[y * width + x] = Math.max(0, Math.round(data[y * width + x] - background));
    }
  }
  return { width, height, data: out };
}

/** 3 × 3 box blur, edges replicated: takes the pixel noise out before thresholding. */
export function boxBlur3(image: GreyImage): GreyImage {
  const { width, height, data } = image;
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = Math.min(height - 1, Math.max(0, y + dy));
        for (let dx = -1; dx <= 1; dx++) {
          sum += data[yy * width + Math.min(width - 1, Math.max(0, x + dx))];
        }
      }
      out[y * width + x] = Math.round(sum / 9);
    }
  }
  return { width, height, data: out };
}
