/** Writing files so that a reader never sees half of one. */
import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

/** Writes `file.partial`, then renames it to `file`: the file appears whole or not at all. */
export async function writeFileAtomically(file: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(`${file}.partial`, data);
  await rename(`${file}.partial`, file);
}
