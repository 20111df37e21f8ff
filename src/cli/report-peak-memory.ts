/**
 * Preloaded (`node --import`) into a process that `bench generate` measures: when the process
 * exits, writes its peak resident memory, process.resourceUsage().maxRSS in bytes, to the file
 * named by PEAK_RSS_FILE_VARIABLE.
 */
import { writeFileSync } from "node:fs";

export const PEAK_RSS_FILE_VARIABLE = "CHROMOSEG_PEAK_RSS_FILE";

const file = process.env[PEAK_RSS_FILE_VARIABLE];
if (file) {
  process.on("exit", () => writeFileSync(file, String(process.resourceUsage().maxRSS * 1024)));
}
