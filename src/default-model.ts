/** The model shipped in the package's models/ folder (see models/README.md). */
import { fileURLToPath } from "node:url";

/** SegNet lite trained on the replica dataset: what `segment` and `local` use unless told otherwise. */
export const DEFAULT_MODEL = fileURLToPath(new URL("../models/default.onnx", import.meta.url));
