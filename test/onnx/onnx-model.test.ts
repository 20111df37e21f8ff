import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { onnx, readMetadataProps } from "../../src/onnx/onnx-graph.js";
import { OnnxModel } from "../../src/onnx/onnx-model.js";
import { LITE_MODEL, temporaryFolder } from "../helpers.js";

const folder = temporaryFolder();

describe("loading a model", () => {
  it("refuses a missing, a corrupt and an incompatible model", async () => {
    await expect(OnnxModel.load(join(folder, "missing.onnx"))).rejects.toThrow(
      /missing\.onnx: cannot read \(ENOENT\)/,
    );
    const corrupt = join(folder, "corrupt.onnx");
    await writeFile(corrupt, Buffer.from("this is not a protobuf at all"));
    await expect(OnnxModel.load(corrupt)).rejects.toThrow(/not a chromoseg ONNX model/);

    const proto = onnx.ModelProto.decode(readFileSync(LITE_MODEL));
    for (const prop of proto.metadataProps) {
      if (prop.key === "chromoseg.classes")
        prop.value = JSON.stringify({ names: ["background", "chromosome"], palette: [] });
    }
    const incompatible = onnx.ModelProto.encode(proto).finish();
    expect(readMetadataProps(incompatible)["chromoseg.classes"]).toContain("chromosome");
    for (const prop of proto.metadataProps) {
      if (prop.key === "chromoseg.classes")
        prop.value = readMetadataProps(readFileSync(LITE_MODEL))[prop.key];
    }
    proto.graph!.input![0].name = "image";
    for (const node of proto.graph!.node!)
      node.input = node.input!.map((n) => (n === "grey" ? "image" : n));
    await expect(
      OnnxModel.fromBytes(onnx.ModelProto.encode(proto).finish(), "renamed.onnx"),
    ).rejects.toThrow(
      /renamed\.onnx: not a chromoseg ONNX model \(graph image → probabilities; expected grey → probabilities\)/,
    );
    await expect(OnnxModel.fromBytes(incompatible, "other.onnx")).rejects.toThrow(
      /other\.onnx: not a chromoseg ONNX model \(incompatible classes \[background, chromosome\]/,
    );
  });
});
