/**
 * The whole template as a snapshot that changes when the infrastructure does, not when code does:
 * asset hashes, which follow every change of the build context (src/ included), are replaced.
 * After an intended infrastructure change: `npx vitest run test/infra -u`, and review the diff.
 */
import { expect, it } from "vitest";
import { synthesize } from "./synth.js";

/** An asset's hash: SHA-256 in hex, in image tags and S3 keys. */
const ASSET_HASH = /\b[0-9a-f]{64}\b/g;

const json = JSON.stringify(synthesize().template.toJSON(), null, 2);

it("finds the asset hashes it replaces: the two images and one custom resource's code", () => {
  expect(new Set(json.match(ASSET_HASH)).size).toBe(3);
});

it("synthesises the template of the snapshot, asset hashes aside", () => {
  expect(JSON.parse(json.replace(ASSET_HASH, "<asset hash>"))).toMatchSnapshot();
});
