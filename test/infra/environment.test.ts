/** The configuration contracts of the segment function and the training job. */
import { describe, expect, it } from "vitest";
import {
  SEGMENT_ENVIRONMENT,
  readSegmentEnvironment,
} from "../../src/pipeline/segment-environment.js";
import {
  TRAINING_ENVIRONMENT,
  readTrainingEnvironment,
} from "../../src/pipeline/training-environment.js";
import { synthesize } from "./synth.js";
import { resource } from "./template.js";

const SEGMENT = { BUCKET_NAME: "chromoseg-data", MODEL_POINTER_KEY: "models/latest.json" };
const TRAINING = {
  BUCKET_NAME: "chromoseg-data",
  DATASET_KEY: "datasets/training.h5",
  MODEL_PREFIX: "models/",
  PRESET: "seed",
  EPOCHS: "100",
  PATIENCE: "3",
};

describe("segment function environment", () => {
  it("reads the bucket and the model pointer", () => {
    expect(readSegmentEnvironment(SEGMENT)).toEqual({
      bucket: "chromoseg-data",
      modelPointerKey: "models/latest.json",
    });
  });

  it("names every problem on one line", () => {
    expect(() => readSegmentEnvironment({})).toThrow(
      /^segment function environment: BUCKET_NAME is not set; MODEL_POINTER_KEY is not set$/,
    );
    expect(() => readSegmentEnvironment({ ...SEGMENT, MODEL_POINTER_KEY: "latest.json" })).toThrow(
      "MODEL_POINTER_KEY must be under models/ (got latest.json)",
    );
  });
});

describe("training job environment", () => {
  it("reads and converts every setting", () => {
    expect(readTrainingEnvironment(TRAINING)).toEqual({
      bucket: "chromoseg-data",
      datasetKey: "datasets/training.h5",
      modelPrefix: "models/",
      preset: "seed",
      epochs: 100,
      patience: 3,
    });
  });

  it("names every problem on one line", () => {
    const problems = {
      DATASET_KEY: ["uploads/x.h5", "DATASET_KEY must be under datasets/ (got uploads/x.h5)"],
      MODEL_PREFIX: ["models/run", "MODEL_PREFIX must end with / (got models/run)"],
      PRESET: ["huge", "PRESET must be one of seed, lite (got huge)"],
      EPOCHS: ["ten", "EPOCHS must be a positive integer (got ten)"],
      PATIENCE: ["0", "PATIENCE must be a positive integer (got 0)"],
    };
    for (const [name, [value, message]] of Object.entries(problems)) {
      expect(() => readTrainingEnvironment({ ...TRAINING, [name]: value }), name).toThrow(message);
    }
    expect(() => readTrainingEnvironment({ ...TRAINING, MODEL_PREFIX: "runs/" })).toThrow(
      "MODEL_PREFIX must be under models/ (got runs/)",
    );
    let error: Error | undefined;
    try {
      readTrainingEnvironment({ BUCKET_NAME: "b", EPOCHS: "1.5" });
    } catch (thrown) {
      error = thrown as Error;
    }
    expect(error?.message).toBe(
      "training job environment: DATASET_KEY is not set; MODEL_PREFIX is not set; PRESET is not set; " +
        "EPOCHS must be a positive integer (got 1.5); PATIENCE is not set",
    );
  });
});

describe("the stack sets what the runtimes read", () => {
  const { template } = synthesize();
  /** A template value with CloudFormation references replaced by a plausible string. */
  const value = (v: unknown) => (typeof v === "string" ? v : "chromoseg-data");

  it("the segment function's variables pass readSegmentEnvironment", () => {
    const [, fn] = resource(template, "AWS::Lambda::Function", "SegmentFunction");
    const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> })
      .Variables;
    expect(Object.keys(variables).sort()).toEqual(Object.values(SEGMENT_ENVIRONMENT).sort());
    const env = Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, value(v)]));
    expect(() => readSegmentEnvironment(env)).not.toThrow();
  });

  it("the training job's variables pass readTrainingEnvironment", () => {
    const [, job] = resource(template, "AWS::Batch::JobDefinition", "Training");
    const variables = (
      job.Properties.ContainerProperties as {
        Environment: { Name: string; Value: unknown }[];
      }
    ).Environment;
    expect(variables.map(({ Name }) => Name).sort()).toEqual(
      Object.values(TRAINING_ENVIRONMENT).sort(),
    );
    const env = Object.fromEntries(variables.map(({ Name, Value }) => [Name, value(Value)]));
    expect(() => readTrainingEnvironment(env)).not.toThrow();
  });
});
