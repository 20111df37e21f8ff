import { describe, expect, it } from "vitest";
import { instanceLabels, objectInstances } from "../../src/infer/chromosome-instances.js";
import { cocoChromosomes, columnMajorRuns, runPixels } from "../../src/infer/coco.js";

const W = 12;
const H = 12;

/** A W × H plane from rows of characters: "." 0, "1" … "3" labels. */
function plane(rows: string[]): Uint8Array {
  return Uint8Array.from(rows.join("").split(""), (c) => (c === "." ? 0 : Number(c)));
}

const everywhere = new Uint8Array(W * H).fill(1);

describe("objectInstances", () => {
  it("separates a crossing into two whole chromosomes that share the overlap", () => {
    const rows = Array.from({ length: H }, (_, y) =>
      Array.from({ length: W }, (_, x) => {
        const horizontal = y >= 5 && y <= 6;
        const vertical = x >= 3 && x <= 4;
        return horizontal && vertical ? "3" : horizontal ? "2" : vertical ? "1" : ".";
      }).join(""),
    );
    const labels = plane(rows);
    const mask = labels.map((v) => (v ? 1 : 0));
    const instances = objectInstances(labels, mask, W, H, 5);
    expect(instances.map((i) => [i.channel, i.area])).toEqual([
      [1, 24],
      [2, 24],
    ]);
    expect(instanceLabels(instances, W * H)).toEqual(labels);
  });

  it("takes a chromosome with a stray speck of the other channel, and pixels left as background, as one", () => {
    const labels = plane([
      "............",
      ".2222222222.",
      ".2221122.22.",
      ".2222222222.",
      ...Array(8).fill("............"),
    ]);
    const mask = plane([
      "............",
      ".1111111111.",
      ".1111111111.",
      ".1111111111.",
      ...Array(8).fill("............"),
    ]);
    const instances = objectInstances(labels, mask, W, H, 5);
    expect(instances).toHaveLength(1);
    expect(instances[0].area).toBe(30);
    expect(instanceLabels(instances, W * H)).toEqual(mask);
  });

  it("counts two chromosomes the model put in one channel as two when they do not touch", () => {
    const labels = plane([
      "111111......",
      "............",
      "......111111",
      ...Array(9).fill("............"),
    ]);
    expect(objectInstances(labels, everywhere, W, H, 5)).toHaveLength(2);
  });
});

describe("COCO output", () => {
  it("encodes a mask as column-major runs that decode back to it", () => {
    const mask = plane([
      "............",
      "..11........",
      "..111.......",
      ...Array(9).fill("............"),
    ]);
    const instance = {
      box: { x0: 2, y0: 1, x1: 5, y1: 3 },
      mask: Uint8Array.from([1, 1, 0, 1, 1, 1]),
    };
    const runs = columnMajorRuns(instance, H, W);
    // columns 2 and 3: rows 1 and 2; column 4: row 2
    expect(runs).toEqual([2 * H + 1, 2, H - 2, 2, H - 1, 1, W * H - 4 * H - 3]);
    const decoded = new Uint8Array(W * H);
    for (const p of runPixels({ size: [H, W], counts: runs })) decoded[p] = 1;
    expect(decoded).toEqual(mask);
  });

  it("writes one image, the chromosome category and one annotation per chromosome", () => {
    const instance = {
      id: 1,
      objectId: 7,
      box: { x0: 2, y0: 1, x1: 5, y1: 3 },
      mask: Uint8Array.from([1, 1, 0, 1, 1, 1]),
      area: 5,
      overlaps: [2],
    };
    const coco = cocoChromosomes(
      { name: "slide.tif", width: W, height: H },
      [instance],
      "chromoseg test",
    );
    expect(coco.images).toEqual([{ id: 1, file_name: "slide.tif", width: W, height: H }]);
    expect(coco.categories.map((c) => c.name)).toEqual(["chromosome"]);
    expect(coco.annotations[0]).toMatchObject({
      id: 1,
      image_id: 1,
      category_id: 1,
      area: 5,
      bbox: [2, 1, 3, 2],
      iscrowd: 0,
      object_id: 7,
      overlaps: [2],
      segmentation: { size: [H, W] },
    });
  });
});
