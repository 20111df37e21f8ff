import { readFile } from "node:fs/promises";
import { beforeAll, describe, expect, it } from "vitest";
import { exportToOnnx } from "../../src/export/export.js";
import { parseMetadata } from "../../src/onnx/metadata.js";
import { readMetadataProps } from "../../src/onnx/onnx-graph.js";
import { segnetFromOnnx } from "../../src/export/onnx-to-layers.js";
import { checkParity, loadParityImage, parityPasses } from "../../src/export/parity.js";
import { readGreyImage } from "../../src/image/grey-image.js";
import { selectBackend } from "../../src/model/backend.js";
import { SEGNET_PRESETS } from "../../src/model/config.js";
import { buildSegNet } from "../../src/model/segnet.js";
import { DAPI_CROP, LITE_MODEL } from "../helpers.js";

beforeAll(async () => {
  await selectBackend("wasm", 1);
});

describe("a tfjs SegNet rebuilt from an ONNX export", () => {
  it("gives onnxruntime's probabilities for the engine tests' model's weights", async () => {
    const bytes = await readFile(LITE_MODEL);
    const metadata = parseMetadata(readMetadataProps(bytes));
    const model = segnetFromOnnx(bytes, metadata, LITE_MODEL);
    const parity = await checkParity(model, bytes, await loadParityImage(), 8);
    expect(parity.pixels).toBe(12 * 96 * 96 + 152 * 200);
    expect(parityPasses(parity)).toBe(true);
    expect(model.countParams()).toBe(metadata.network.parameters);
    model.dispose();
  });

  it("is refused, naming the file, when the metadata has no configuration", async () => {
    const parityImage = (await readGreyImage(DAPI_CROP)).image;
    const exported = await exportToOnnx({
      model: buildSegNet(SEGNET_PRESETS.lite),
      report: null,
      parityImage,
    });
    expect(() => segnetFromOnnx(exported.bytes, exported.metadata, "bare.onnx")).toThrow(
      "model bare.onnx: its metadata has no network configuration, so tfjs cannot rebuild it",
    );
  });
});
