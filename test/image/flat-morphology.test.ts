import { describe, expect, it } from "vitest";
import { dilate, erode, opening, whiteTopHat } from "../../src/image/flat-morphology.js";
import type { GreyImage } from "../../src/image/grey-image.js";
import type { StructuringElement } from "../../src/image/structuring-element.js";
import { disk, opencvEllipse } from "../../src/image/structuring-element.js";

/** A width × height image of `background` with a skimage disk of `radius` and `value` centred at (cx, cy). */
function diskImage(
  width: number,
  height: number,
  background: number,
  { cx, cy, radius, value }: { cx: number; cy: number; radius: number; value: number },
): GreyImage {
  const data = new Uint8Array(width * height).fill(background);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      if ((x - cx) ** 2 + (y - cy) ** 2 <= radius * radius) data[y * width + x] = value;
  return { width, height, data };
}

/** OpenCV's 1 × 2 rectangle: anchor at column 2 / 2 = 1, so the neighbourhood is {x − 1, x}. */
const PAIR: StructuringElement = {
  width: 2,
  height: 1,
  anchorX: 1,
  anchorY: 0,
  mask: Uint8Array.from([1, 1]),
};

describe("grey morphology with OpenCV's conventions", () => {
  it("erodes and dilates over the anchored neighbourhood, the image border never winning", () => {
    const image = { width: 6, height: 1, data: Uint8Array.from([5, 0, 10, 10, 0, 7]) };
    // min(f(x − 1), f(x)); f(−1) is outside: ignored
    expect(Array.from(erode(image, PAIR).data)).toEqual([5, 0, 0, 10, 0, 0]);
    // max(f(x − 1), f(x))
    expect(Array.from(dilate(image, PAIR).data)).toEqual([5, 5, 10, 10, 10, 7]);
  });

  it("dilates a single pixel into the element reflected about its anchor (the 50 × 50 ellipse's 1-pixel top row lands 25 rows below)", () => {
    const image = { width: 80, height: 80, data: new Uint8Array(80 * 80) };
    image.data[40 * 80 + 40] = 200;
    const out = dilate(image, opencvEllipse(50, 50));
    const row = (y: number) => Array.from(out.data.subarray(y * 80, (y + 1) * 80));
    const lit = (y: number) => row(y).flatMap((v, x) => (v ? [x] : []));
    const columns = (from: number, count: number) =>
      Array.from({ length: count }, (_, k) => from + k);
    // element row 0 (offset dy = −25, only dx = 0) is reached from 25 rows below the pixel
    expect(lit(65)).toEqual([40]);
    expect(lit(66)).toEqual([]);
    // element row 49 (dy = +24, dx = −7…7) from 24 rows above: 15 pixels, columns 33…47
    expect(lit(16)).toEqual(columns(33, 15));
    expect(lit(15)).toEqual([]);
    // element row 25 (dy = 0, dx = −25…24) → columns 16…65 of the pixel's own row
    expect(lit(40)).toEqual(columns(16, 50));
  });

  it("keeps a flat image flat through an opening (the border never wins)", () => {
    const flat = { width: 30, height: 20, data: new Uint8Array(600).fill(37) };
    expect(opening(flat, opencvEllipse(9, 9)).data.every((v) => v === 37)).toBe(true);
  });
});

describe("whiteTopHat", () => {
  it("is a disk smaller than the ellipse, above a flat background: 60 − 10 on the disk, 0 elsewhere", () => {
    // a disk of radius 3 is 7 pixels across; the 9 × 9 ellipse fits nowhere in it, so the opening is the flat 10
    const image = diskImage(40, 40, 10, { cx: 20, cy: 20, radius: 3, value: 60 });
    const topHat = whiteTopHat(image, opencvEllipse(9, 9));
    for (let i = 0; i < image.data.length; i++)
      expect(topHat.data[i]).toBe(image.data[i] === 60 ? 50 : 0);
  });

  it("removes nothing from a disk the element fits in (disk(5) inside a disk of radius 9: top-hat 0 inside)", () => {
    const image = diskImage(40, 40, 0, { cx: 20, cy: 20, radius: 9, value: 100 });
    const topHat = whiteTopHat(image, disk(5));
    // every pixel within 4 of the centre is covered by a disk(5) placed inside the big disk
    for (let y = 16; y <= 24; y++)
      for (let x = 16; x <= 24; x++)
        if ((x - 20) ** 2 + (y - 20) ** 2 <= 16) expect(topHat.data[y * 40 + x]).toBe(0);
  });

  it("clips at 0 where an even element's opening rises above the image (OpenCV's saturating subtraction)", () => {
    // f = 0 0 10 10 0 0; erode min(f(x−1), f(x)) = 0 0 0 10 0 0; dilate max(g(x−1), g(x)) = 0 0 0 10 10 0
    // f − opening = 0 0 10 0 −10 0 → 0 0 10 0 0 0 (not 246)
    const image = { width: 6, height: 1, data: Uint8Array.from([0, 0, 10, 10, 0, 0]) };
    expect(Array.from(opening(image, PAIR).data)).toEqual([0, 0, 0, 10, 10, 0]);
    expect(Array.from(whiteTopHat(image, PAIR).data)).toEqual([0, 0, 10, 0, 0, 0]);
  });
});
