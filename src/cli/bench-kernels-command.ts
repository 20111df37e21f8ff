import { availableParallelism } from "node:os";
import * as tf from "@tensorflow/tfjs";
import { Command } from "commander";
import { registerFastWasmKernels } from "../model/wasm-kernels.js";
import { configureWasmThreads } from "../model/wasm-threads.js";
import { table } from "../format.js";
import { examples, integer } from "./options.js";

interface BenchKernelsFlags {
  batchSize: number;
  repeats: number;
  threads: number;
}

/** [height = width, input channels, output channels] of a 3 × 3 convolution. */
type Layer = [number, number, number];

/** SegNet lite's layer shapes. */
const LITE_LAYERS: Layer[] = [
  [96, 16, 16],
  [48, 32, 32],
  [24, 64, 64],
];

export function benchKernelsCommand(): Command {
  return new Command("kernels")
    .description(
      "Milliseconds of a 3 × 3 convolution and of its gradients on the wasm backend, for SegNet lite's layer " +
        "shapes: the forward convolution, the stock Conv2DBackpropInput and chromoseg's, and chromoseg's " +
        "Conv2DBackpropFilter (tfjs has none for wasm). Each figure is the mean of --repeats runs after one warm-up.",
    )
    .option("-b, --batch-size <n>", "samples per batch", integer(1), 16)
    .option("--repeats <n>", "timed runs per figure", integer(1), 5)
    .option("--threads <n>", "wasm threads", integer(1), availableParallelism())
    .addHelpText(
      "after",
      examples("chromoseg bench kernels", "chromoseg bench kernels --threads 1"),
    )
    .action(async (flags: BenchKernelsFlags) => {
      // Not selectBackend: it registers the fast kernels, and the stock ones are timed first.
      const threads = configureWasmThreads(flags.threads);
      await tf.setBackend("wasm");
      const rows: (string | number)[][] = [
        ["layer", "forward", "stock backprop-input", "fast backprop-input", "fast backprop-filter"],
      ];
      const stock = LITE_LAYERS.map((layer) => timeLayer(layer, flags, backpropInput));
      registerFastWasmKernels();
      LITE_LAYERS.forEach((layer, i) => {
        const fast = timeLayer(layer, flags, backpropInput);
        const [side, ci, co] = layer;
        rows.push([
          `${side} × ${side}, ${ci} → ${co}`,
          ms(timeLayer(layer, flags, forward)),
          ms(stock[i]),
          `${ms(fast)} (${(stock[i] / fast).toFixed(0)} ×)`,
          ms(timeLayer(layer, flags, backpropFilter)),
        ]);
      });
      console.log(
        `wasm, ${threads} threads, batch ${flags.batchSize}, mean of ${flags.repeats} runs`,
      );
      console.log(table(rows));
    });
}

function ms(milliseconds: number): string {
  return `${milliseconds.toFixed(1)} ms`;
}

/** Mean milliseconds of `op`, read back as one number so that copying its output is not timed. */
function time(op: () => tf.Tensor, repeats: number): number {
  const run = () => tf.tidy(() => tf.sum(op()).dataSync());
  run();
  const started = performance.now();
  for (let r = 0; r < repeats; r++) run();
  return (performance.now() - started) / repeats;
}

interface LayerTensors {
  x: tf.Tensor4D;
  filter: tf.Tensor4D;
  dy: tf.Tensor4D;
}

/** Times `op` on random x, filter and dy of `layer`. */
function timeLayer(
  [side, ci, co]: Layer,
  flags: BenchKernelsFlags,
  op: (tensors: LayerTensors) => tf.Tensor,
): number {
  const tensors: LayerTensors = {
    x: tf.randomNormal([flags.batchSize, side, side, ci]),
    filter: tf.randomNormal([3, 3, ci, co]),
    dy: tf.randomNormal([flags.batchSize, side, side, co]),
  };
  const milliseconds = time(() => op(tensors), flags.repeats);
  tf.dispose(Object.values(tensors));
  return milliseconds;
}

const forward = ({ x, filter }: LayerTensors) => tf.conv2d(x, filter, 1, "same");

const backpropInput = ({ x, filter, dy }: LayerTensors) =>
  tf.conv2dTranspose(dy, filter, x.shape, 1, "same");

const backpropFilter = ({ x, filter, dy }: LayerTensors) =>
  tf
    .engine()
    .runKernel(
      tf.Conv2DBackpropFilter,
      { x, dy },
      { strides: 1, pad: "same", dataFormat: "NHWC", filterShape: filter.shape },
    ) as tf.Tensor;
