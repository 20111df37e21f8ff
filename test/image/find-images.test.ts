import { mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findImages } from "../../src/image/find-images.js";
import { REPLICA_SAMPLE, linkedFolder, temporaryFolder } from "../helpers.js";

const folder = temporaryFolder();

describe("findImages", () => {
  const { input, elsewhere } = linkedFolder(folder);

  it("follows links to images and folders once, names each loop and broken image link, passes over other broken links", async () => {
    const { images, skipped } = await findImages([input]);
    expect(images.map((i) => i.name)).toEqual([
      join("day 2", "pair.tif"),
      "linked.png",
      "plain.png",
    ]);
    expect(images[0].file).toBe(join(input, "day 2", "pair.tif"));
    expect(skipped).toEqual([
      `${join(input, "broken.png")}: broken link (to ${join(elsewhere, "gone.png")})`,
      `${join(input, "loop")}: link loop back to ${input}, not followed`,
    ]);
  });

  it("says a missing argument is missing and still finds the other inputs' images", async () => {
    const missing = join(folder, "missing.png");
    const { images, skipped } = await findImages([missing, join(input, "plain.png")]);
    expect(images).toEqual([{ file: join(input, "plain.png"), name: "plain.png" }]);
    expect(skipped).toEqual([`${missing}: no such file or folder`]);
  });

  it("tells a broken or self-looping link given as an argument from a missing one", async () => {
    const self = join(folder, "self");
    symlinkSync("self", self);
    const { skipped } = await findImages([join(input, "broken.png"), self, REPLICA_SAMPLE]);
    expect(skipped).toEqual([
      `${join(input, "broken.png")}: broken link (to ${join(elsewhere, "gone.png")})`,
      `${self}: link loop, not followed`,
    ]);
  });

  it("refuses inputs with no images at all, in one line saying why", async () => {
    const empty = join(folder, "empty");
    mkdirSync(empty);
    await expect(findImages([empty, join(folder, "missing")])).rejects.toThrow(
      `no images found in ${empty}, ${join(folder, "missing")} (${join(folder, "missing")}: no such file or folder)`,
    );
  });
});
