import { describe, expect, it } from "vitest";
import type { Rgb } from "../../src/classes.js";
import { OBJECT_KINDS } from "../../src/image/find-chromosomes.js";
import type { ObjectKind, SlideObject } from "../../src/image/find-chromosomes.js";
import type { GreyImage } from "../../src/image/grey-image.js";
import { stretchContrast } from "../../src/render/contrast.js";
import { KIND_COLOURS, renderColouredOutlines, renderOutlines } from "../../src/render/outlines.js";
import { decodePng } from "../png.js";

/** A slide of `width` × `height` in a grey ramp, stretched by the renderer. */
function slide(width: number, height: number): GreyImage {
  return {
    width,
    height,
    data: Uint8Array.from({ length: width * height }, (_, i) => 40 + (i % 97)),
  };
}

/** `labels` with the box x0 ≤ x < x1, y0 ≤ y < y1 set to `id`. */
function fill(labels: Int32Array, width: number, id: number, [x0, y0, x1, y1]: number[]): void {
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) labels[y * width + x] = id;
}

const object = (id: number, kind: ObjectKind) => ({ id, kind }) as SlideObject;

describe("slide outlines", () => {
  const image = slide(20, 12);
  const grey = stretchContrast(image.data);
  const greyAt = (x: number, y: number) => {
    const v = grey[y * image.width + x];
    return [v, v, v];
  };
  const labels = new Int32Array(20 * 12);
  fill(labels, 20, 1, [2, 2, 8, 9]);
  fill(labels, 20, 2, [11, 3, 18, 10]);
  fill(labels, 20, 3, [18, 10, 20, 12]); // in the corner: all edge

  it("draws each object's edge in the colour of its kind over the stretched grey slide", async () => {
    const objects = [object(1, "accepted"), object(2, "nucleus"), object(3, "border")];
    const png = await decodePng(await renderOutlines(image, labels, objects));
    expect([png.width, png.height, png.channels]).toEqual([20, 12, 3]);
    expect(png.pixel(2, 5)).toEqual([...KIND_COLOURS.accepted]);
    expect(png.pixel(7, 8)).toEqual([...KIND_COLOURS.accepted]);
    expect(png.pixel(11, 6)).toEqual([...KIND_COLOURS.nucleus]);
    expect(png.pixel(14, 9)).toEqual([...KIND_COLOURS.nucleus]);
    expect(png.pixel(19, 11)).toEqual([...KIND_COLOURS.border]);
    expect(png.pixel(18, 10)).toEqual([...KIND_COLOURS.border]);
    // insides and the space between objects keep the grey; a slide this small has no legend
    for (const [x, y] of [
      [4, 5],
      [14, 6],
      [0, 0],
      [9, 5],
      [1, 1],
    ])
      expect(png.pixel(x, y), `${x}, ${y}`).toEqual(greyAt(x, y));
  });

  it("draws no outline where the colour is undefined", async () => {
    const red: Rgb = [255, 0, 0];
    const png = await decodePng(
      await renderColouredOutlines(image, labels, (id) => (id === 2 ? red : undefined), []),
    );
    expect(png.pixel(11, 6)).toEqual([...red]);
    expect(png.pixel(2, 5)).toEqual(greyAt(2, 5));
    expect(png.pixel(19, 11)).toEqual(greyAt(19, 11));
  });

  it("adds a legend of the kinds in the top-left corner of a slide large enough for it", async () => {
    const swatch = (i: number) => [23, 25 + 22 * i] as const;
    const large = slide(680, 378);
    const png = await decodePng(await renderOutlines(large, new Int32Array(680 * 378), []));
    OBJECT_KINDS.forEach((kind, i) => {
      const [r, g, b] = png.pixel(...swatch(i));
      const [er, eg, eb] = KIND_COLOURS[kind];
      for (const [got, expected] of [
        [r, er],
        [g, eg],
        [b, eb],
      ])
        expect(Math.abs(got - expected), kind).toBeLessThanOrEqual(2);
    });
    // one pixel narrower: no legend
    const narrow = slide(679, 378);
    const plain = await decodePng(await renderOutlines(narrow, new Int32Array(679 * 378), []));
    const v = stretchContrast(narrow.data)[swatch(0)[1] * 679 + swatch(0)[0]];
    expect(plain.pixel(...swatch(0))).toEqual([v, v, v]);
  });
});
