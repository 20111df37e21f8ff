/**
 * The tfjs wasm backend's multithreaded build, made usable in Node: tfjs never loads it there
 * (tensorflow/tfjs#3830). `configureWasmThreads` loads it by patching worker_threads' Worker
 * (tfjs starts its pthread workers from blob: URLs, which Node's Worker rejects) and the core
 * count the wasm module reads once. The faster kernels are apart, in wasm-kernels.ts.
 */
import { createRequire } from "node:module";
import os from "node:os";
import type { WorkerOptions } from "node:worker_threads";
import * as tf from "@tensorflow/tfjs";
// Importing the package also registers the wasm backend with tfjs.
import { getThreadsCount, setThreadsCount } from "@tensorflow/tfjs-backend-wasm";

const BACKEND = "wasm";

const require = createRequire(import.meta.url);
const THREADED_MODULE = "@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd";

/**
 * Sets how many threads XNNPACK uses on the wasm backend (default: the logical cores). Call it
 * before tf.setBackend("wasm"): the backend reads it once, when it initialises; later calls
 * change nothing and return the number in use (getThreadsCount() says it too, once initialised).
 *
 * tfjs-backend-wasm never loads its multithreaded build in Node (tensorflow/tfjs#3830), so its
 * setThreadsCount alone leaves one thread. With threads > 1 this loads that build:
 * - it sets the flag WASM_HAS_MULTITHREAD_SUPPORT, which tfjs sets to false in Node;
 * - tfjs creates the build's pthread workers from blob: URLs, which Node's Worker rejects: the
 *   patched Worker runs the worker script from source, loading the main script from its file;
 * - the backend caps threads at half the logical cores (it assumes two hyperthreads a core):
 *   the one core count it reads, at start-up, is raised so that the cap is `threads`.
 * The pthread workers never keep the process alive: the thread pool's threads wait for work
 * forever, and the main thread waits for them whenever they have some.
 */
export function configureWasmThreads(threads = os.availableParallelism()): number {
  if (BACKEND in tf.engine().registry) return getThreadsCount(); // already initialised
  const count = Math.max(1, Math.floor(threads));
  setThreadsCount(count);
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", count > 1);
  if (count > 1) {
    installPthreadWorker();
    raiseWasmCoreCount(2 * count);
  }
  return count;
}

let pthreadWorkerInstalled = false;

/** Lets worker_threads' Worker start tfjs's pthread workers from their source. */
function installPthreadWorker(): void {
  if (pthreadWorkerInstalled) return;
  pthreadWorkerInstalled = true;
  const workerThreads = require("node:worker_threads") as typeof import("node:worker_threads");
  const { wasmWorkerContents } = require(`${THREADED_MODULE}.worker.js`) as {
    wasmWorkerContents: string;
  };
  // tfjs escapes newlines the same way before making its blob (they sit inside string
  // literals); the appended handler makes the worker load the main script from its file, as
  // Node cannot import the blob tfjs hands it.
  const source =
    wasmWorkerContents.replace(/\n/g, "\\n") +
    `;{const load=self.onmessage;self.onmessage=e=>{` +
    `if(e.data.cmd==="load")e.data.urlOrBlob=${JSON.stringify(require.resolve(`${THREADED_MODULE}.js`))};` +
    `return load(e)}}`;
  const NodeWorker = workerThreads.Worker;
  class PthreadWorker extends NodeWorker {
    private readonly isPthread: boolean;
    constructor(file: string | URL, options?: WorkerOptions) {
      const isPthread = typeof file === "string" && file.startsWith("blob:");
      super(isPthread ? source : file, isPthread ? { ...options, eval: true } : options);
      this.isPthread = isPthread;
    }
    override ref(): void {
      if (!this.isPthread) super.ref();
    }
  }
  workerThreads.Worker = PthreadWorker;
}

/** The core count os.cpus() is to report to the wasm module's one read of it, at start-up. */
let wasmCoreCount: number | undefined;

/** Makes os.cpus() list at least `count` cores when the wasm module reads it. */
function raiseWasmCoreCount(count: number): void {
  const installed = wasmCoreCount !== undefined;
  wasmCoreCount = count;
  if (installed) return;
  // The object the wasm module's require("os") returns (the ESM namespace is read-only).
  const osModule = require("node:os") as { cpus: typeof os.cpus };
  const cpus = osModule.cpus;
  osModule.cpus = () => {
    const list = cpus();
    const fromWasm = new Error().stack?.includes("emscripten_num_logical_cores") ?? false;
    if (!fromWasm) return list;
    const length = Math.max(wasmCoreCount ?? 0, list.length);
    osModule.cpus = cpus;
    wasmCoreCount = undefined;
    return Array.from({ length }, (_, i) => list[i % list.length]);
  };
}
