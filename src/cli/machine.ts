/** What this machine can do at most, estimated from /proc/cpuinfo, for benchmark tables. */
import { readFileSync } from "node:fs";
import { availableParallelism, cpus } from "node:os";

export interface MachinePeak {
  /** float32 operations per second (a multiply-add counts 2). */
  flops: number;
  description: string;
}

/**
 * Cores × clock × float32 operations per cycle: 32 with AVX2 and FMA (two 256-bit FMA units),
 * 8 without. AVX-512 is not counted: many CPUs (AMD Zen 4 among them) run it at the 256-bit rate.
 */
export function machinePeak(): MachinePeak {
  const info = readCpuInfo();
  const model = /^model name\s*:\s*(.*)$/m.exec(info)?.[1] ?? cpus()[0]?.model ?? "unknown CPU";
  const mhz = Number(/^cpu MHz\s*:\s*([\d.]+)$/m.exec(info)?.[1] ?? cpus()[0]?.speed ?? 0);
  const flags = /^flags\s*:\s*(.*)$/m.exec(info)?.[1].split(" ") ?? [];
  const perCycle = flags.includes("avx2") && flags.includes("fma") ? 32 : 8;
  const cores = availableParallelism();
  return {
    flops: cores * mhz * 1e6 * perCycle,
    description:
      `${cores} logical cores of ${model} at ${(mhz / 1000).toFixed(2)} GHz × ${perCycle} float32 ` +
      `operations per cycle = ${((cores * mhz * perCycle) / 1e3).toFixed(0)} GFLOP/s`,
  };
}

function readCpuInfo(): string {
  try {
    return readFileSync("/proc/cpuinfo", "utf8");
  } catch {
    return "";
  }
}
