/**
 * Preloaded (`node --import`) into a process that `bench generate` measures: when the process
 * exits, writes its peak resident memory, process.resourceUsage().maxRSS in bytes, to the file
 * SETTINGS.peakRssFile names (the environment variable CHROMOSEG_PEAK_RSS_FILE).
 */
import { writeFileSync } from "node:fs";
import { SETTINGS } from "../settings.js";

const file = SETTINGS.peakRssFile;
if (file) {
  process.on("exit", () => writeFileSync(file, String(process.resourceUsage().maxRSS * 1024)));
}
