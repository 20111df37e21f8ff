/** The runtime settings: their defaults, and the environment variables that override them. */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SETTINGS, SETTINGS_ENVIRONMENT } from "../src/settings.js";

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("settings", () => {
  it("have their documented defaults", () => {
    vi.stubEnv(SETTINGS_ENVIRONMENT.trainingWorkDir, undefined);
    vi.stubEnv(SETTINGS_ENVIRONMENT.peakRssFile, undefined);
    expect(SETTINGS).toMatchObject({
      modelCacheDir: "/tmp/chromoseg-models",
      trainingWorkDir: "/tmp/chromoseg-training",
      localBucketDir: ".chromoseg/s3",
      localS3Port: 4568,
      peakRssFile: undefined,
    });
  });

  it("read their environment variables when asked, not when loaded", () => {
    vi.stubEnv("WORK_DIR", "/scratch/job");
    vi.stubEnv("CHROMOSEG_PEAK_RSS_FILE", "/tmp/peak");
    expect(SETTINGS.trainingWorkDir).toBe("/scratch/job");
    expect(SETTINGS.peakRssFile).toBe("/tmp/peak");
  });

  it("import nothing (the preloaded peak-memory reporter reads them)", () => {
    const source = readFileSync(new URL("../src/settings.ts", import.meta.url), "utf8");
    expect(source).not.toMatch(/^import /m);
  });
});
