/**
 * A fresh process's way to a first result, for `bench infer`: run as
 * `node dist/infer/cold-start.js <model.onnx> <image> <threads>`, it prints one JSON object of milliseconds
 * since the process started (performance.now() counts from there).
 */
import { readFile } from "node:fs/promises";

const [modelFile, imageFile, threads] = process.argv.slice(2);
const booted = performance.now();
const { OnnxModel } = await import("../onnx/onnx-model.js");
const { segmentImage } = await import("./segment-image.js");
const modulesLoaded = performance.now();
const model = await OnnxModel.load(modelFile, { threads: Number(threads) });
const sessionCreated = performance.now();
await segmentImage(model, await readFile(imageFile), imageFile);
const firstResult = performance.now();
console.log(JSON.stringify({ booted, modulesLoaded, sessionCreated, firstResult }));
