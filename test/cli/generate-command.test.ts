import { describe, expect, it } from "vitest";
import { generateCommand } from "../../src/cli/generate-command.js";

/** `chromoseg generate …`, its error (a UserError's message) if it fails. */
function generate(...args: string[]): Promise<unknown> {
  return generateCommand().exitOverride().parseAsync(args, { from: "user" });
}

describe("generate --preset kaggle", () => {
  it("refuses the other presets' options given on the command line, defaults or not", async () => {
    const kaggle = ["--preset", "kaggle", "-m", "DAPI.tif", "--cy3", "Cy3.tif", "-o", "out.h5"];
    for (const [option, value] of [
      ["--min-overlap", "5"],
      ["--min-overlap", "9"],
      ["--count", "10"],
      ["--angles", "6"],
      ["--offsets", "2"],
    ])
      await expect(generate(...kaggle, option, value)).rejects.toThrow(
        `the kaggle preset follows the published recipe, which fixes ${option}`,
      );
  });
});
