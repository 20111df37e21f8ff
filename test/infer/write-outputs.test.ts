import { describe, expect, it } from "vitest";
import { clearResults } from "../../src/infer/write-outputs.js";

describe("clearResults", () => {
  it("removes report.json and error.json, and waits for them, before it touches the pictures", async () => {
    const events: string[] = [];
    await clearResults(async (name) => {
      events.push(`start ${name}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      events.push(`done ${name}`);
    });
    const started = (name: string) => events.indexOf(`start ${name}`);
    const done = (name: string) => events.indexOf(`done ${name}`);
    for (const picture of ["labels.png", "overlay.png", "chromosomes.json"])
      for (const verdict of ["report.json", "error.json"])
        expect(started(picture)).toBeGreaterThan(done(verdict));
    expect(events).toHaveLength(10);
  });
});
