import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll } from "vitest";

export const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));
export const DAPI_CROP = join(FIXTURES, "dapi-jpp21-m3-crop.tif");
export const CROSSING_CROP = join(FIXTURES, "jpp21-m1-crossing-crop.tif");

/** A temporary folder removed after the test file. */
export function temporaryFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), "chromoseg-test-"));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  return folder;
}
