/**
 * The chromosomes of one object of a slide, from the pair model's labels over it: each chromosome
 * is a connected part of one channel (label 1 or 2, with the overlap 3 it shares), so a crossing
 * gives two instances that share the overlap, a single chromosome one, and two chromosomes the
 * model put in one channel without touching stay two. Parts smaller than `minArea` are not
 * chromosomes: they, and object pixels the model left as background, go to the instance they
 * touch first, so the instances cover the whole object.
 */
import { OVERLAP } from "../classes.js";
import { componentPixels, labelComponents } from "../image/morphology.js";

/** One chromosome of an object: a mask over the object's box, and its channel. */
export interface ObjectInstance {
  /** 1 or 2: the channel (label) it came from. */
  channel: 1 | 2;
  /** 1 inside the chromosome, box-sized. */
  mask: Uint8Array;
  area: number;
}

const CHANNELS = [1, 2] as const;

/**
 * `labels` (0–3) and `objectMask` (1 inside) are `width` × `height`, the object's box. Returns the
 * instances, smallest first; an object without a part of `minArea` is one instance.
 */
export function objectInstances(
  labels: Uint8Array,
  objectMask: Uint8Array,
  width: number,
  height: number,
  minArea: number,
): ObjectInstance[] {
  const size = width * height;
  const parts: { channel: 1 | 2; pixels: number[] }[] = [];
  for (const channel of CHANNELS) {
    const mask = new Uint8Array(size);
    for (let p = 0; p < size; p++)
      mask[p] = objectMask[p] && (labels[p] === channel || labels[p] === OVERLAP) ? 1 : 0;
    const { labels: partOf, count } = labelComponents(mask, width, height);
    for (const part of componentPixels(partOf, count))
      if (part.length >= minArea) parts.push({ channel, pixels: part });
  }
  if (parts.length === 0) return [wholeObject(objectMask)];
  const instances = parts.map(({ channel, pixels }) => {
    const mask = new Uint8Array(size);
    for (const p of pixels) mask[p] = 1;
    return { channel, mask, area: 0 };
  });
  fillObject(instances, objectMask, width, height);
  for (const instance of instances) instance.area = instance.mask.reduce((a, b) => a + b, 0);
  if (instances.length === 1) instances[0].channel = 1;
  return instances.sort((a, b) => a.area - b.area);
}

/** The whole object as one chromosome. */
export function wholeObject(objectMask: Uint8Array): ObjectInstance {
  const mask = objectMask.map((inside) => (inside ? 1 : 0));
  return { channel: 1, mask, area: mask.reduce((a, b) => a + b, 0) };
}

/**
 * Gives every object pixel outside all instances to the instance that reaches it first, growing
 * all of them a pixel (8-connected) at a time inside the object.
 */
function fillObject(
  instances: ObjectInstance[],
  objectMask: Uint8Array,
  width: number,
  height: number,
): void {
  const owner = new Int32Array(width * height).fill(-1);
  let front: number[] = [];
  instances.forEach((instance, k) =>
    instance.mask.forEach((inside, p) => {
      if (inside && owner[p] === -1) {
        owner[p] = k;
        front.push(p);
      }
    }),
  );
  while (front.length) {
    const next: number[] = [];
    for (const p of front) {
      const x = p % width;
      const y = (p - x) / width;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          const yy = y + dy;
          if (xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
          const q = yy * width + xx;
          if (!objectMask[q] || owner[q] !== -1) continue;
          owner[q] = owner[p];
          instances[owner[p]].mask[q] = 1;
          next.push(q);
        }
    }
    front = next;
  }
}

/**
 * The object's labels as labels.png holds them: 3 where two instances lie, else the channel of
 * the one instance there (a lone chromosome is 1), 0 outside.
 */
export function instanceLabels(instances: ObjectInstance[], size: number): Uint8Array {
  const labels = new Uint8Array(size);
  for (const { channel, mask } of instances)
    for (let p = 0; p < size; p++) if (mask[p]) labels[p] = labels[p] ? OVERLAP : channel;
  return labels;
}
