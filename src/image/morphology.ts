/**
 * Small image-analysis primitives on binary masks and label images (row-major, width × height).
 */

/** A rectangle in pixels: columns x0 ≤ x < x1, rows y0 ≤ y < y1. */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * Labels 8-connected components of a mask with 1, 2, …; background stays 0.
 * Returns the label image and the number of components.
 */
export function labelComponents(
  mask: Uint8Array,
  width: number,
  height: number,
): { labels: Int32Array; count: number } {
  const labels = new Int32Array(width * height);
  const stack = new Int32Array(width * height);
  let count = 0;
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || labels[start]) continue;
    count++;
    labels[start] = count;
    let top = 0;
    stack[top++] = start;
    while (top > 0) {
      const i = stack[--top];
      const x = i % width;
      const y = (i - x) / width;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= width) continue;
          const j = yy * width + xx;
          if (mask[j] && !labels[j]) {
            labels[j] = count;
            stack[top++] = j;
          }
        }
      }
    }
  }
  return { labels, count };
}

/** The pixel indices of each component of a label image, pixels[id − 1] for labels 1 … count. */
export function componentPixels(labels: Int32Array, count: number): number[][] {
  const pixels: number[][] = Array.from({ length: count }, () => []);
  labels.forEach((id, p) => id && pixels[id - 1].push(p));
  return pixels;
}

/** The bounding box of each component of a label image, boxes[id − 1] for labels 1 … count. */
export function componentBoxes(
  labels: Int32Array,
  count: number,
  width: number,
  height: number,
): Box[] {
  const boxes: Box[] = Array.from({ length: count }, () => ({
    x0: width,
    y0: height,
    x1: 0,
    y1: 0,
  }));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const l = labels[y * width + x];
      if (!l) continue;
      const b = boxes[l - 1];
      if (x < b.x0) b.x0 = x;
      if (y < b.y0) b.y0 = y;
      if (x + 1 > b.x1) b.x1 = x + 1;
      if (y + 1 > b.y1) b.y1 = y + 1;
    }
  }
  return boxes;
}

/** Sets to 1 every 0-pixel of `mask` that is not 4-connected to the mask's border. */
export function fillHoles(mask: Uint8Array, width: number, height: number): void {
  const outside = new Uint8Array(mask.length);
  const stack: number[] = [];
  const visit = (i: number) => {
    if (!mask[i] && !outside[i]) {
      outside[i] = 1;
      stack.push(i);
    }
  };
  for (let x = 0; x < width; x++) {
    visit(x);
    visit((height - 1) * width + x);
  }
  for (let y = 0; y < height; y++) {
    visit(y * width);
    visit(y * width + width - 1);
  }
  while (stack.length) {
    const i = stack.pop()!;
    const x = i % width;
    if (x > 0) visit(i - 1);
    if (x < width - 1) visit(i + 1);
    if (i >= width) visit(i - width);
    if (i < mask.length - width) visit(i + width);
  }
  for (let i = 0; i < mask.length; i++) if (!outside[i]) mask[i] = 1;
}

/** Threshold that maximises the between-class variance of a 256-bin histogram (Otsu 1979). */
export function otsuThreshold(histogram: ArrayLike<number>): number {
  let total = 0;
  let sum = 0;
  for (let v = 0; v < 256; v++) {
    total += histogram[v];
    sum += v * histogram[v];
  }
  let weightBelow = 0;
  let sumBelow = 0;
  let best = 0;
  let bestVariance = -1;
  for (let t = 0; t < 256; t++) {
    weightBelow += histogram[t];
    if (weightBelow === 0) continue;
    const weightAbove = total - weightBelow;
    if (weightAbove === 0) break;
    sumBelow += t * histogram[t];
    const meanBelow = sumBelow / weightBelow;
    const meanAbove = (sum - sumBelow) / weightAbove;
    const variance = weightBelow * weightAbove * (meanBelow - meanAbove) ** 2;
    if (variance > bestVariance) {
      bestVariance = variance;
      best = t;
    }
  }
  return best + 1;
}

/** Area of the convex hull of a mask's pixel squares (Andrew's monotone chain over pixel corners). */
export function convexHullArea(mask: Uint8Array, width: number, height: number): number {
  const points: [number, number][] = [];
  for (let y = 0; y < height; y++) {
    let first = -1;
    let last = -1;
    for (let x = 0; x < width; x++) {
      if (mask[y * width + x]) {
        if (first < 0) first = x;
        last = x;
      }
    }
    if (first < 0) continue;
    points.push([first, y], [first, y + 1], [last + 1, y], [last + 1, y + 1]);
  }
  if (points.length < 3) return 0;
  points.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const cross = (o: number[], a: number[], b: number[]) =>
    (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const hull: [number, number][] = [];
  for (const pass of [points, [...points].reverse()]) {
    const start = hull.length;
    for (const p of pass) {
      while (
        hull.length >= start + 2 &&
        cross(hull[hull.length - 2], hull[hull.length - 1], p) <= 0
      )
        hull.pop();
      hull.push(p);
    }
    hull.pop();
  }
  let twice = 0;
  for (let i = 0; i < hull.length; i++) {
    const [x0, y0] = hull[i];
    const [x1, y1] = hull[(i + 1) % hull.length];
    twice += x0 * y1 - x1 * y0;
  }
  return Math.abs(twice) / 2;
}

/** Number of pixel edges between the mask and the outside (4-neighbourhood perimeter). */
export function perimeter(mask: Uint8Array, width: number, height: number): number {
  let edges = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!mask[y * width + x]) continue;
      if (x === 0 || !mask[y * width + x - 1]) edges++;
      if (x === width - 1 || !mask[y * width + x + 1]) edges++;
      if (y === 0 || !mask[(y - 1) * width + x]) edges++;
      if (y === height - 1 || !mask[(y + 1) * width + x]) edges++;
    }
  }
  return edges;
}

const NEIGHBOURS: readonly [number, number][] = [
  [0, -1],
  [1, -1],
  [1, 0],
  [1, 1],
  [0, 1],
  [-1, 1],
  [-1, 0],
  [-1, -1],
];

/** Thins a mask in place to a one-pixel-wide 8-connected skeleton (Zhang & Suen 1984). */
export function thin(mask: Uint8Array, width: number, height: number): void {
  const at = (x: number, y: number) =>
    x >= 0 && y >= 0 && x < width && y < height ? mask[y * width + x] : 0;
  const remove: number[] = [];
  let changed = true;
  while (changed) {
    changed = false;
    for (const step of [0, 1]) {
      remove.length = 0;
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          if (!mask[y * width + x]) continue;
          const p = NEIGHBOURS.map(([dx, dy]) => at(x + dx, y + dy));
          const b = p.reduce((s: number, v) => s + v, 0);
          if (b < 2 || b > 6) continue;
          let a = 0;
          for (let k = 0; k < 8; k++) if (!p[k] && p[(k + 1) % 8]) a++;
          if (a !== 1) continue;
          // p[0] north, p[2] east, p[4] south, p[6] west
          const ok =
            step === 0
              ? p[0] * p[2] * p[4] === 0 && p[2] * p[4] * p[6] === 0
              : p[0] * p[2] * p[6] === 0 && p[0] * p[4] * p[6] === 0;
          if (ok) remove.push(y * width + x);
        }
      }
      for (const i of remove) mask[i] = 0;
      if (remove.length) changed = true;
    }
  }
}

/** Skeleton pixels with exactly one 8-neighbour on the skeleton. */
export function skeletonEndpoints(skeleton: Uint8Array, width: number, height: number): number[] {
  const ends: number[] = [];
  for (let i = 0; i < skeleton.length; i++) {
    if (skeleton[i] && skeletonNeighbours(skeleton, width, height, i).length === 1) ends.push(i);
  }
  return ends;
}

export function skeletonNeighbours(
  skeleton: Uint8Array,
  width: number,
  height: number,
  i: number,
): number[] {
  const x = i % width;
  const y = (i - x) / width;
  const out: number[] = [];
  for (const [dx, dy] of NEIGHBOURS) {
    const xx = x + dx;
    const yy = y + dy;
    if (xx >= 0 && yy >= 0 && xx < width && yy < height && skeleton[yy * width + xx])
      out.push(yy * width + xx);
  }
  return out;
}

/** Number of 0→1 transitions around a skeleton pixel's 8 neighbours: 3 or more at a junction. */
function crossings(skeleton: Uint8Array, width: number, height: number, i: number): number {
  const x = i % width;
  const y = (i - x) / width;
  const on = NEIGHBOURS.map(([dx, dy]) => {
    const xx = x + dx;
    const yy = y + dy;
    return xx >= 0 && yy >= 0 && xx < width && yy < height ? skeleton[yy * width + xx] : 0;
  });
  let count = 0;
  for (let k = 0; k < 8; k++) if (!on[k] && on[(k + 1) % 8]) count++;
  return count;
}

/**
 * Removes, in place, skeleton branches that run from an endpoint to a junction in fewer than
 * `length` pixels: the forks a chromatid end or a ragged outline leaves on a skeleton.
 * Returns the endpoints left.
 */
export function pruneSpurs(
  skeleton: Uint8Array,
  width: number,
  height: number,
  length: number,
): number {
  for (const end of skeletonEndpoints(skeleton, width, height)) {
    const path = [end];
    let current = end;
    while (path.length <= length) {
      const next = skeletonNeighbours(skeleton, width, height, current).filter(
        (n) => !path.includes(n),
      );
      if (next.length === 0) break;
      current = next[0];
      if (crossings(skeleton, width, height, current) >= 3) {
        for (const p of path) skeleton[p] = 0;
        break;
      }
      path.push(current);
    }
  }
  return skeletonEndpoints(skeleton, width, height).length;
}
