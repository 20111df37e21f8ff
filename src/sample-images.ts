/** Images shipped in the package's samples/ folder (see samples/README.md). */
import { fileURLToPath } from "node:url";

/** A DAPI metaphase without overlaps, 1536 × 1024, 12-bit: the source of the public dataset. */
export const SAMPLE_METAPHASE = fileURLToPath(new URL("../samples/DAPI.tif", import.meta.url));
