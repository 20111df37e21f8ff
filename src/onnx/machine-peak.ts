/**
 * What this machine can do at most, for benchmark tables: measured, not estimated. A clock-based
 * estimate is unreliable on virtual machines (the reported clock is the base clock, and the cores
 * may run faster: on the development machine onnxruntime's MatMul beat such an estimate by 9 %).
 */
import { cpus } from "node:os";
import * as ort from "onnxruntime-node";
import { OnnxGraph } from "./onnx-graph.js";
import { VERSION } from "../version.js";

export interface MachinePeak {
  /** float32 operations per second (a multiply-add counts 2). */
  flops: number;
  description: string;
}

/** Side of the square matrices multiplied: large enough to be bound by arithmetic, not memory. */
const SIDE = 1024;
const RUNS = 10;

/** The best of `RUNS` timings of onnxruntime's MatMul of two SIDE × SIDE matrices on `threads` threads. */
export async function measurePeak(threads: number): Promise<MachinePeak> {
  const graph = new OnnxGraph(["a", "product"]);
  const b = graph.floats("b", [SIDE, SIDE], randomValues(SIDE * SIDE));
  graph.node("MatMul", ["a", b], "product", {}, { exact: true });
  const bytes = graph.encode({
    name: "peak",
    input: { name: "a", shape: [SIDE, SIDE] },
    output: { name: "product", shape: [SIDE, SIDE] },
    producer: { name: "chromoseg", version: VERSION },
    metadata: {},
  });
  const session = await ort.InferenceSession.create(bytes, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
  });
  const feeds = { a: new ort.Tensor("float32", randomValues(SIDE * SIDE), [SIDE, SIDE]) };
  await session.run(feeds);
  let best = Infinity;
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    await session.run(feeds);
    best = Math.min(best, (performance.now() - started) / 1000);
  }
  await session.release();
  const flops = (2 * SIDE ** 3) / best;
  return {
    flops,
    description:
      `onnxruntime's MatMul of ${SIDE} × ${SIDE} matrices on ${threads} threads of ` +
      `${cpus()[0]?.model ?? "an unknown CPU"}: ${(flops / 1e9).toFixed(0)} GFLOP/s, measured in this run`,
  };
}

function randomValues(count: number): Float32Array {
  return Float32Array.from({ length: count }, () => Math.random() - 0.5);
}
