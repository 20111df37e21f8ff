/**
 * Chooses the TensorFlow.js backend. The native ones (tfjs-node-gpu, tfjs-node) are optional
 * packages, not dependencies: the GPU container adds tfjs-node-gpu; elsewhere the wasm backend,
 * with chromoseg's fast gradient kernels, or the plain cpu backend runs the same code.
 */
import { availableParallelism } from "node:os";
import * as tf from "@tensorflow/tfjs";
import { UserError } from "../errors.js";

export type BackendChoice = "auto" | "tensorflow" | "wasm" | "cpu";
export const BACKEND_CHOICES: readonly BackendChoice[] = ["auto", "tensorflow", "wasm", "cpu"];

export interface BackendSelection {
  /** tfjs's name of the backend in use: `tensorflow`, `wasm` or `cpu`. */
  name: string;
  /** The package behind it, e.g. `@tensorflow/tfjs-node-gpu`. */
  package: string;
  /** One line: what is used and why the others were skipped. */
  summary: string;
}

interface Candidate {
  package: string;
  backend: string;
  activate: (threads: number) => Promise<void>;
}

const NATIVE_GPU: Candidate = {
  package: "@tensorflow/tfjs-node-gpu",
  backend: "tensorflow",
  activate: () => importNative("@tensorflow/tfjs-node-gpu"),
};
const NATIVE_CPU: Candidate = {
  package: "@tensorflow/tfjs-node",
  backend: "tensorflow",
  activate: () => importNative("@tensorflow/tfjs-node"),
};
const WASM: Candidate = {
  package: "@tensorflow/tfjs-backend-wasm",
  backend: "wasm",
  activate: activateWasm,
};
const CPU: Candidate = {
  package: "@tensorflow/tfjs (cpu)",
  backend: "cpu",
  activate: async () => undefined,
};

const CANDIDATES: Record<BackendChoice, Candidate[]> = {
  auto: [NATIVE_GPU, NATIVE_CPU, WASM, CPU],
  tensorflow: [NATIVE_GPU, NATIVE_CPU],
  wasm: [WASM],
  cpu: [CPU],
};

/** Activates the first backend of `choice` that works. `threads` applies to wasm (default: the cores). */
export async function selectBackend(
  choice: BackendChoice,
  threads = availableParallelism(),
): Promise<BackendSelection> {
  const skipped: string[] = [];
  for (const candidate of CANDIDATES[choice]) {
    try {
      await candidate.activate(threads);
      if (!(await tf.setBackend(candidate.backend)))
        throw new Error(`tfjs could not initialise the ${candidate.backend} backend`);
      await tf.ready();
      // tfjs's advice to install tfjs-node is this module's job: say it once, in the summary.
      if (candidate.backend !== "tensorflow") tf.env().set("PROD", true);
      const detail =
        candidate === WASM
          ? ` with chromoseg's fast gradient kernels, ${threads} thread${threads === 1 ? "" : "s"}`
          : "";
      const summary = `backend: ${candidate.backend} (${candidate.package}${detail})${skipped.length ? `; skipped ${skipped.join("; ")}` : ""}`;
      return { name: candidate.backend, package: candidate.package, summary };
    } catch (error) {
      skipped.push(`${candidate.package}: ${reason(error)}`);
    }
  }
  throw new UserError(`no TensorFlow.js backend for --backend ${choice}: ${skipped.join("; ")}`);
}

async function importNative(name: string): Promise<void> {
  await import(name);
}

async function activateWasm(threads: number): Promise<void> {
  const { configureWasmThreads } = await import("./wasm-threads.js");
  const { registerFastWasmKernels } = await import("./wasm-kernels.js");
  configureWasmThreads(threads);
  registerFastWasmKernels();
}

function reason(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (e.code === "ERR_MODULE_NOT_FOUND") return "not installed";
  return String(e.message ?? e).split("\n")[0];
}
