import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { findChromosomes } from "../../src/image/find-chromosomes.js";
import type { ObjectKind } from "../../src/image/find-chromosomes.js";
import { readGreyImage } from "../../src/image/grey-image.js";
import { CROSSING_CROP, DAPI_CROP } from "../helpers.js";

function kinds(objects: { kind: ObjectKind }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of objects) counts[o.kind] = (counts[o.kind] ?? 0) + 1;
  return counts;
}

describe("findChromosomes", () => {
  it("reads 12-bit data in a 16-bit TIFF by dividing by 16", async () => {
    const decoded = await readGreyImage(DAPI_CROP);
    expect(decoded.scaling).toBe("12-bit ÷ 16");
    expect(decoded.image.width).toBe(380);
    const raw = await sharp(DAPI_CROP).toColourspace("grey16").raw({ depth: "ushort" }).toBuffer();
    const values = new Uint16Array(raw.buffer, raw.byteOffset, raw.length / 2);
    const max16 = values.reduce((m, v) => Math.max(m, v), 0);
    expect(max16).toBeLessThanOrEqual(4095);
    expect(decoded.image.data.reduce((m, v) => Math.max(m, v), 0)).toBe(Math.floor(max16 / 16));
  });

  it("finds the 9 whole chromosomes of the DAPI crop and rejects the 4 cut by its border", async () => {
    const { image } = await readGreyImage(DAPI_CROP);
    const found = findChromosomes(image);
    expect(kinds(found.objects)).toEqual({ accepted: 9, border: 4 });
    expect(found.chromosomes).toHaveLength(9);
    for (const c of found.chromosomes) {
      // decimated by 2 later, a chromosome must still be tens of pixels
      expect(c.area).toBeGreaterThan(300);
      expect(c.mask.reduce((n, v) => n + v, 0)).toBe(c.area);
      // grey only inside the mask
      c.grey.forEach((g, i) => expect(g === 0 || c.mask[i] === 1).toBe(true));
    }
  });

  it("rejects the X-shaped crossing as a cluster", async () => {
    const { image } = await readGreyImage(CROSSING_CROP);
    const found = findChromosomes(image);
    const clusters = found.objects.filter((o) => o.kind === "cluster");
    expect(clusters).toHaveLength(1);
    expect(clusters[0].endpoints).toBeGreaterThanOrEqual(3);
    expect(clusters[0].solidity).toBeLessThan(0.75);
    expect(kinds(found.objects).accepted).toBe(2);
  });

  it("calls large convex objects nuclei and small specks debris", () => {
    // a synthetic slide: a disc of radius 30 (a nucleus), twelve rods of 8 × 30, one 5 × 5 speck
    const width = 400;
    const height = 300;
    const data = new Uint8Array(width * height).fill(10);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++)
        if ((x - 300) ** 2 + (y - 150) ** 2 < 30 ** 2) data[y * width + x] = 120;
    }
    for (let k = 0; k < 12; k++) {
      const left = 30 + 60 * (k % 3);
      const top = 30 + 60 * Math.floor(k / 3);
      for (let y = top; y < top + 8; y++)
        for (let x = left; x < left + 30; x++) data[y * width + x] = 100;
    }
    for (let y = 270; y < 275; y++) for (let x = 200; x < 205; x++) data[y * width + x] = 100;
    const found = findChromosomes({ width, height, data });
    expect(kinds(found.objects)).toEqual({ nucleus: 1, accepted: 12, debris: 1 });
  });

  it("tells a small round nucleus (convex) from a cluster of the same size (concave)", () => {
    // twelve rods of 8 × 30 set the median area (240); a disc of radius 17 (3.8 medians) and a
    // star of three 8 × 44 rods crossing at their middles (about 3.5 medians)
    const width = 400;
    const height = 300;
    const data = new Uint8Array(width * height).fill(10);
    const paint = (inside: (x: number, y: number) => boolean) => {
      for (let y = 0; y < height; y++)
        for (let x = 0; x < width; x++) if (inside(x, y)) data[y * width + x] = 100;
    };
    for (let k = 0; k < 12; k++) {
      const left = 30 + 60 * (k % 3);
      const top = 30 + 60 * Math.floor(k / 3);
      paint((x, y) => x >= left && x < left + 30 && y >= top && y < top + 8);
    }
    paint((x, y) => (x - 300) ** 2 + (y - 70) ** 2 < 17 ** 2);
    for (const angle of [0, 60, 120]) {
      const [c, s] = [Math.cos((angle * Math.PI) / 180), Math.sin((angle * Math.PI) / 180)];
      paint((x, y) => {
        const [u, v] = [(x - 300) * c + (y - 200) * s, -(x - 300) * s + (y - 200) * c];
        return Math.abs(u) < 22 && Math.abs(v) < 4;
      });
    }
    const found = findChromosomes({ width, height, data });
    expect(kinds(found.objects)).toEqual({ nucleus: 1, cluster: 1, accepted: 12 });
    const nucleus = found.objects.find((o) => o.kind === "nucleus")!;
    expect(nucleus.area / found.medianArea).toBeLessThan(5);
  });
});
