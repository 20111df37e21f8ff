/** Writing files so that a reader never sees half of one. */
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

/**
 * Writes `file.partial`, then renames it to `file`: the file appears whole or not at all. A
 * failed write leaves no `.partial` behind.
 */
export async function writeFileAtomically(file: string, data: string | Uint8Array): Promise<void> {
  const partial = `${file}.partial`;
  await mkdir(dirname(file), { recursive: true });
  try {
    await writeFile(partial, data);
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}
