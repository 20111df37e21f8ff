/**
 * Marker-controlled watershed as scikit-image 0.19 computes it (segmentation.watershed with
 * markers and a mask, connectivity 1, no compactness, no watershed line): a priority flood from
 * the marked pixels, lowest image value first and, among equal values, the earliest queued; a
 * pixel takes the label of the neighbour that queues it, when it is queued. The queue is
 * scikit-image's binary heap, so that ties between markers break as they do there.
 */

/**
 * Labels every pixel of `mask` that the markers' regions can reach through 4-connected mask
 * pixels; other pixels stay 0. `image`, `markers` (0 = none) and `mask` are width × height,
 * row-major.
 */
export function watershed(
  image: ArrayLike<number>,
  markers: ArrayLike<number>,
  mask: ArrayLike<number>,
  width: number,
  height: number,
): Uint8Array {
  // padded by one pixel all round, outside the mask, as scikit-image pads
  const paddedWidth = width + 2;
  const size = paddedWidth * (height + 2);
  const inside = new Uint8Array(size);
  const labels = new Uint8Array(size);
  const values = new Float64Array(size);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const from = y * width + x;
      const to = (y + 1) * paddedWidth + x + 1;
      inside[to] = mask[from] ? 1 : 0;
      labels[to] = mask[from] ? markers[from] : 0;
      values[to] = image[from];
    }
  }
  const neighbours = [-paddedWidth, -1, 1, paddedWidth];
  const queue = new FloodQueue(size); // each pixel is queued at most once
  for (let i = 0; i < size; i++) if (labels[i]) queue.push(values[i], 0, i);
  let age = 1;
  while (queue.length > 0) {
    const index = queue.pop();
    for (const step of neighbours) {
      const neighbour = index + step;
      if (!inside[neighbour] || labels[neighbour]) continue;
      labels[neighbour] = labels[index];
      queue.push(values[neighbour], ++age, neighbour);
    }
  }
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++)
    out.set(
      labels.subarray((y + 1) * paddedWidth + 1, (y + 1) * paddedWidth + 1 + width),
      y * width,
    );
  return out;
}

/**
 * scikit-image's heap (heap_general.pxi): ordered by value, then age; push sifts up, pop moves
 * the last item to the root and sifts it down.
 */
class FloodQueue {
  private readonly values: Float64Array;
  private readonly ages: Float64Array;
  private readonly indices: Int32Array;
  length = 0;

  constructor(capacity: number) {
    this.values = new Float64Array(capacity);
    this.ages = new Float64Array(capacity);
    this.indices = new Int32Array(capacity);
  }

  push(value: number, age: number, index: number): void {
    let child = this.length++;
    this.set(child, value, age, index);
    while (child > 0) {
      const parent = ((child + 1) >> 1) - 1;
      if (!this.smaller(child, parent)) break;
      this.swap(child, parent);
      child = parent;
    }
  }

  /** Removes the first item and returns its index. */
  pop(): number {
    const first = this.indices[0];
    this.length--;
    if (this.length === 0) return first;
    this.swap(0, this.length);
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      if (left >= this.length) break;
      let smallest = i;
      if (this.smaller(left, i)) smallest = left;
      if (right < this.length && this.smaller(right, smallest)) smallest = right;
      if (smallest === i) break;
      this.swap(i, smallest);
      i = smallest;
    }
    return first;
  }

  private smaller(a: number, b: number): boolean {
    if (this.values[a] !== this.values[b]) return this.values[a] < this.values[b];
    return this.ages[a] < this.ages[b];
  }

  private set(k: number, value: number, age: number, index: number): void {
    this.values[k] = value;
    this.ages[k] = age;
    this.indices[k] = index;
  }

  private swap(a: number, b: number): void {
    const value = this.values[a];
    const age = this.ages[a];
    const index = this.indices[a];
    this.set(a, this.values[b], this.ages[b], this.indices[b]);
    this.set(b, value, age, index);
  }
}
