import { describe, expect, it } from "vitest";
import { trainingJobRequest } from "../../src/cli/submit-training-command.js";

describe("submit-training", () => {
  it("passes overrides as the environment the training job reads, and nothing else", () => {
    const when = new Date("2026-11-26T20:15:03.120Z");
    expect(
      trainingJobRequest("queue-arn", "definition-arn", { preset: "lite", epochs: 30 }, when),
    ).toEqual({
      jobName: "chromoseg-training-2026-11-26T20-15-03-120Z",
      jobQueue: "queue-arn",
      jobDefinition: "definition-arn",
      containerOverrides: {
        environment: [
          { name: "PRESET", value: "lite" },
          { name: "EPOCHS", value: "30" },
        ],
      },
    });
    expect(trainingJobRequest("q", "d", {}, when)).not.toHaveProperty("containerOverrides");
  });
});
