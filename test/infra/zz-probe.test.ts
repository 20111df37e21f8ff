import { it } from "vitest";
import { synthesize } from "./synth.js";
it("probe", () => {
  const t0 = Date.now();
  const { template } = synthesize();
  const json = JSON.stringify(template.toJSON());
  console.log("ms", Date.now() - t0, json.length, Object.keys(template.toJSON()), [...new Set(json.match(/[0-9a-f]{32,}/g))]);
});
