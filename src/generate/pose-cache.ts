/**
 * The rotated poses of a set of chromosomes, made when first asked for and kept while recently
 * used: a pose is made only for the chromosomes a sampler draws, and the rotated ones held stay
 * bounded however many chromosomes there are (each chromosome drawn keeps its decimated pose, a
 * quarter of its cut-out).
 */
import type { Chromosome } from "../image/find-chromosomes.js";
import { decimate, rotate } from "./pose.js";
import type { Pose } from "./pose.js";

/** Rotated poses kept at most: 2–3 KB each for chromosomes of a 100× metaphase. */
export const POSE_CACHE_CAPACITY = 8192;

export class PoseCache {
  /** Poses rotated so far, repeats after an eviction included. */
  rotated = 0;
  private readonly decimated: (Pose | undefined)[];
  /**
   * Keyed chromosome × angles + angle. A Map iterates in insertion order and a pose used is
   * re-inserted, so the first key is the least recently used.
   */
  private readonly recent = new Map<number, Pose>();

  constructor(
    private readonly chromosomes: readonly Chromosome[],
    /** Rotations in degrees; poses are asked for by index into this list. */
    private readonly angles: readonly number[],
    private readonly capacity = POSE_CACHE_CAPACITY,
  ) {
    this.decimated = new Array<Pose | undefined>(chromosomes.length);
  }

  /** Chromosome `chromosome` decimated and rotated by `angles[angle]`. */
  get(chromosome: number, angle: number): Pose {
    const key = chromosome * this.angles.length + angle;
    let pose = this.recent.get(key);
    if (pose) {
      this.recent.delete(key);
    } else {
      const base = (this.decimated[chromosome] ??= decimate(this.chromosomes[chromosome]));
      pose = rotate(base, this.angles[angle]);
      this.rotated++;
      if (this.recent.size >= this.capacity)
        this.recent.delete(this.recent.keys().next().value as number);
    }
    this.recent.set(key, pose);
    return pose;
  }

  /** Poses held now. */
  get size(): number {
    return this.recent.size;
  }
}
