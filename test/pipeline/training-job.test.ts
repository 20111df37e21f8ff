import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { writeDataset } from "../../src/data/hdf5.js";
import { generateDataset } from "../../src/generate/generate.js";
import { ModelRegistry } from "../../src/pipeline/model-registry.js";
import { runTrainingJob } from "../../src/pipeline/training-job.js";
import type { TrainingJobSettings } from "../../src/pipeline/training-job.js";
import { DAPI_CROP, temporaryFolder } from "../helpers.js";
import { localS3 } from "../s3.js";

const s3 = localS3();
const folder = temporaryFolder();
let settings: TrainingJobSettings;

beforeAll(async () => {
  const { samples } = await generateDataset({
    metaphases: [DAPI_CROP],
    preset: "all",
    count: 64,
    angles: 4,
    offsetStep: 6,
  });
  const file = join(folder, "tiny.h5");
  await writeDataset(file, samples);
  settings = {
    bucket: s3.bucket,
    datasetKey: "datasets/tiny.h5",
    preset: "lite",
    epochs: 1,
    patience: 1,
  };
  await s3.client.send(
    new PutObjectCommand({ Bucket: s3.bucket, Key: settings.datasetKey, Body: readFileSync(file) }),
  );
});

describe("training job", () => {
  it("publishes a version and moves the pointer; a worse one is uploaded but not promoted", async () => {
    const lines: string[] = [];
    const first = await runTrainingJob({
      s3: s3.client,
      settings,
      workDir: join(folder, "first"),
      version: "v1",
      log: (line) => lines.push(line),
    });
    expect(first).toMatchObject({ version: "v1", promoted: true });
    expect(lines.join("\n")).toMatch(/training stopped: .*\n.*test mean IoU/);
    const registry = new ModelRegistry(s3.client, s3.bucket);
    expect(await registry.currentVersion()).toBe("v1");

    // an incumbent far better than one epoch on 64 samples can be
    await registry.upload("great", { "model.onnx": new Uint8Array([1]) }, 0.999);
    await registry.promote("great", { force: true });
    const second = await runTrainingJob({
      s3: s3.client,
      settings,
      workDir: join(folder, "second"),
      version: "v2",
      log: () => {},
    });
    expect(second.promoted).toBe(false);
    expect(second.reason).toMatch(/below the current great's 99\.90 %/);
    expect(await registry.currentVersion()).toBe("great");
    expect((await registry.list()).map((v) => v.version)).toContain("v2");
  }, 300_000);

  it("refuses a missing dataset as bad input", async () => {
    await expect(
      runTrainingJob({
        s3: s3.client,
        settings: { ...settings, datasetKey: "datasets/none.h5" },
        workDir: join(folder, "none"),
        log: () => {},
      }),
    ).rejects.toThrow(/no dataset at s3:\/\/chromoseg-test\/datasets\/none\.h5/);
  });
});
