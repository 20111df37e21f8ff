/** The images named on a command line: files as given, folders searched recursively. */
import { readdir, stat } from "node:fs/promises";
import { basename, join, relative } from "node:path";
import { UserError } from "../errors.js";
import { isImageName } from "./image-files.js";

export interface ImageInput {
  file: string;
  /** The file's name, or its path inside a folder given as input: where its results go. */
  name: string;
}

/**
 * A file counts whatever its name (a bad one is reported when read); a folder gives its image
 * files (see image-files.ts). Two inputs with one name (a/x.png and b/x.png given as files) are
 * refused: their results would overwrite each other.
 */
export async function findImages(inputs: string[]): Promise<ImageInput[]> {
  const found = (await Promise.all(inputs.map(imagesOf))).flat();
  if (found.length === 0) throw new UserError(`no images found in ${inputs.join(", ")}`);
  const seen = new Map<string, string>();
  for (const { file, name } of found) {
    const other = seen.get(name);
    if (other)
      throw new UserError(
        `${other} and ${file} share the name ${name}; give their folder instead, or run them separately`,
      );
    seen.set(name, file);
  }
  return found;
}

async function imagesOf(input: string): Promise<ImageInput[]> {
  let isFolder: boolean;
  try {
    isFolder = (await stat(input)).isDirectory();
  } catch {
    throw new UserError(`${input}: no such file or folder`);
  }
  if (!isFolder) return [{ file: input, name: basename(input) }];
  const entries = await readdir(input, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && isImageName(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort()
    .map((file) => ({ file, name: relative(input, file) }));
}
