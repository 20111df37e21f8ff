import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { Context } from "aws-lambda";
import { afterEach, describe, expect, it, vi } from "vitest";
import { withPowertools } from "../../src/pipeline/with-powertools.js";

const CONTEXT = {
  awsRequestId: "request-7",
  functionName: "segment",
  getRemainingTimeInMillis: () => 60_000,
} as unknown as Context;

afterEach(() => {
  vi.restoreAllMocks();
});

/** What the logger prints while `run` runs, one JSON object a line. */
async function printed(run: () => Promise<void>): Promise<Record<string, unknown>[]> {
  const chunks: string[] = [];
  for (const stream of [process.stdout, process.stderr])
    vi.spyOn(stream, "write").mockImplementation((chunk) => {
      chunks.push(String(chunk));
      return true;
    });
  vi.spyOn(console, "log").mockImplementation((line) => chunks.push(`${line}\n`));
  vi.spyOn(console, "info").mockImplementation((line) => chunks.push(`${line}\n`));
  await run();
  vi.restoreAllMocks();
  return chunks
    .join("")
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function instruments() {
  const logger = new Logger({ serviceName: "test", logLevel: "INFO" });
  const metrics = new Metrics({ namespace: "test", serviceName: "test", logger });
  return { logger, metrics };
}

describe("withPowertools", () => {
  for (const ending of ["returns", "throws"] as const) {
    it(`resets the appended log keys and publishes the metrics when the handler ${ending}`, async () => {
      const { logger, metrics } = instruments();
      const handler = withPowertools({ logger, metrics }, async (event: { fail: boolean }) => {
        logger.appendKeys({ upload: "uploads/a.png" });
        metrics.addMetric("Things", MetricUnit.Count, 1);
        logger.info("inside");
        if (event.fail) throw new Error("boom");
        return "done";
      });
      const lines = await printed(async () => {
        const call = handler({ fail: ending === "throws" }, CONTEXT);
        if (ending === "throws") await expect(call).rejects.toThrow("boom");
        else await expect(call).resolves.toBe("done");
        logger.info("after");
      });
      expect(metrics.hasStoredMetrics()).toBe(false);
      const inside = lines.find((line) => line.message === "inside");
      const after = lines.find((line) => line.message === "after");
      expect(inside).toMatchObject({ upload: "uploads/a.png", function_request_id: "request-7" });
      expect(after).toBeDefined();
      expect(after).not.toHaveProperty("upload");
    });
  }
});
