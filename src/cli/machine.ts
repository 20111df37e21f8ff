/** What this machine can do at most, estimated from /proc/cpuinfo, for benchmark tables. */
import { readFileSync } from "node:fs";
import { availableParallelism, cpus } from "node:os";

export interface MachinePeak {
  /** float32 operations per second (a multiply-add counts 2). */
  flops: number;
  description: string;
}

/**
 * Physical cores × highest clock × float32 operations per cycle: 32 with AVX2 and FMA (two
 * 256-bit FMA units), 8 without. Hyperthreads share a core's units, so they do not count; AVX-512
 * is not counted either: many CPUs (AMD Zen 4 among them) run it at the 256-bit rate.
 */
export function machinePeak(): MachinePeak {
  const info = readCpuInfo();
  const model = /^model name\s*:\s*(.*)$/m.exec(info)?.[1] ?? cpus()[0]?.model ?? "unknown CPU";
  const mhz =
    maxClockMHz() ?? Number(/^cpu MHz\s*:\s*([\d.]+)$/m.exec(info)?.[1] ?? cpus()[0]?.speed ?? 0);
  const flags = /^flags\s*:\s*(.*)$/m.exec(info)?.[1].split(" ") ?? [];
  const perCycle = flags.includes("avx2") && flags.includes("fma") ? 32 : 8;
  const siblings = Number(/^siblings\s*:\s*(\d+)$/m.exec(info)?.[1] ?? 0);
  const coresPerSocket = Number(/^cpu cores\s*:\s*(\d+)$/m.exec(info)?.[1] ?? 0);
  const threadsPerCore = siblings && coresPerSocket ? siblings / coresPerSocket : 1;
  const cores = Math.max(1, Math.round(availableParallelism() / threadsPerCore));
  return {
    flops: cores * mhz * 1e6 * perCycle,
    description:
      `${cores} physical cores of ${model} at ${(mhz / 1000).toFixed(2)} GHz × ${perCycle} float32 ` +
      `operations per cycle = ${((cores * mhz * perCycle) / 1e3).toFixed(0)} GFLOP/s`,
  };
}

/** The highest clock the kernel reports (absent on many virtual machines). */
function maxClockMHz(): number | undefined {
  try {
    return (
      Number(readFileSync("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq", "utf8")) / 1000
    );
  } catch {
    return undefined;
  }
}

function readCpuInfo(): string {
  try {
    return readFileSync("/proc/cpuinfo", "utf8");
  } catch {
    return "";
  }
}
