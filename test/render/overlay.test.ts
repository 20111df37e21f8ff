import { describe, expect, it } from "vitest";
import { PALETTE } from "../../src/classes.js";
import type { Rgb } from "../../src/classes.js";
import type { GreyImage } from "../../src/image/grey-image.js";
import { encodeInstanceOverlay, encodeLabelMap, encodeOverlay } from "../../src/render/overlay.js";
import { decodePng } from "../png.js";

const WIDTH = 12;
const HEIGHT = 8;

/**
 * An image the contrast stretch leaves as it is: 10 % of it black and 10 % white (the 0.5th and
 * 99.5th percentiles), the rest in between.
 */
const image: GreyImage = {
  width: WIDTH,
  height: HEIGHT,
  data: Uint8Array.from({ length: WIDTH * HEIGHT }, (_, i) =>
    i % 10 === 0 ? 0 : i % 10 === 1 ? 255 : 20 + 2 * i,
  ),
};
const greyAt = (x: number, y: number) => image.data[y * WIDTH + x];
/** The weight of the colour in a tinted pixel: 45 % grey and 55 % colour. */
const TINT = 0.55;
const tint = (grey: number, colour: Rgb) =>
  colour.map((c) => Math.round((1 - TINT) * grey + TINT * c));

describe("label map", () => {
  it("is a one-channel 8-bit PNG of the labels themselves", async () => {
    const labels = Uint8Array.from({ length: WIDTH * HEIGHT }, (_, i) => (i * 7) % 4);
    const png = await decodePng(await encodeLabelMap(labels, WIDTH, HEIGHT));
    expect([png.format, png.width, png.height, png.channels]).toEqual(["png", WIDTH, HEIGHT, 1]);
    for (let i = 0; i < labels.length; i++)
      expect(png.pixel(i % WIDTH, Math.floor(i / WIDTH))).toEqual([labels[i]]);
  });
});

describe("class overlay", () => {
  it("leaves the background grey and tints each class in its palette colour", async () => {
    const labels = Uint8Array.from({ length: WIDTH * HEIGHT }, (_, i) => Math.floor(i / 24));
    const png = await decodePng(await encodeOverlay(image, labels));
    expect([png.width, png.height, png.channels]).toEqual([WIDTH, HEIGHT, 3]);
    for (let i = 0; i < labels.length; i++) {
      const [x, y] = [i % WIDTH, Math.floor(i / WIDTH)];
      const g = greyAt(x, y);
      expect(png.pixel(x, y), `${x}, ${y}`).toEqual(
        labels[i] ? tint(g, PALETTE[labels[i]]) : [g, g, g],
      );
    }
    // e.g. a white chromosome A pixel (i = 31): 0.45 × 255 + 0.55 × (230, 159, 0)
    expect(labels[31]).toBe(1);
    expect(png.pixel(7, 2)).toEqual([241, 202, 115]);
  });
});

describe("instance overlay", () => {
  // two chromosomes, crossing where x is 4–7
  const first = { box: { x0: 1, y0: 1, x1: 8, y1: 7 }, mask: new Uint8Array(7 * 6).fill(1) };
  const second = { box: { x0: 4, y0: 1, x1: 11, y1: 7 }, mask: new Uint8Array(7 * 6).fill(1) };

  it("tints each chromosome in a colour of its own, the overlap grey with a white outline", async () => {
    const png = await decodePng(await encodeInstanceOverlay(image, [first, second]));
    expect([png.width, png.height, png.channels]).toEqual([WIDTH, HEIGHT, 3]);
    const firstColour = png.pixel(2, 3);
    const secondColour = png.pixel(9, 3);
    expect(firstColour).toEqual(tint(greyAt(2, 3), [230, 159, 0]));
    expect(secondColour).toEqual(tint(greyAt(9, 3), [86, 180, 233]));
    for (const [x, y] of [
      [4, 3],
      [7, 3],
      [5, 1],
      [6, 6],
    ])
      expect(png.pixel(x, y), `overlap edge ${x}, ${y}`).toEqual([255, 255, 255]);
    for (const [x, y] of [
      [5, 3],
      [6, 4],
      [0, 0],
      [11, 7],
    ])
      expect(png.pixel(x, y), `grey ${x}, ${y}`).toEqual([
        greyAt(x, y),
        greyAt(x, y),
        greyAt(x, y),
      ]);
  });

  it("tints only the pixels of a chromosome's mask, not its whole box", async () => {
    const mask = new Uint8Array(7 * 6);
    mask[2 * 7 + 3] = 1; // (4, 3) in the image
    const png = await decodePng(await encodeInstanceOverlay(image, [{ box: first.box, mask }]));
    expect(png.pixel(4, 3)).toEqual(tint(greyAt(4, 3), [230, 159, 0]));
    expect(png.pixel(2, 3)).toEqual([greyAt(2, 3), greyAt(2, 3), greyAt(2, 3)]);
  });
});
