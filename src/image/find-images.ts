/** The images named on a command line: files as given, folders searched recursively. */
import { lstat, readdir, readlink, realpath, stat } from "node:fs/promises";
import type { Dirent, Stats } from "node:fs";
import { basename, join, relative } from "node:path";
import { UserError } from "../errors.js";
import { isImageName } from "./image-files.js";

export interface ImageInput {
  file: string;
  /** The file's name, or its path inside a folder given as input: where its results go. */
  name: string;
}

export interface FoundImages {
  images: ImageInput[];
  /**
   * One line for each input or folder entry not followed: missing, a broken link, a link loop,
   * an unreadable folder. The commands report these as failed inputs.
   */
  skipped: string[];
}

/**
 * A file counts whatever its name (a bad one is reported when read); a folder gives its image
 * files (see image-files.ts). Symbolic links are followed, a link back to a folder being searched
 * (a loop) is not. Two inputs with one name (a/x.png and b/x.png given as files) are refused:
 * their results would overwrite each other; so are inputs giving no image at all.
 */
export async function findImages(inputs: string[]): Promise<FoundImages> {
  const found = await Promise.all(inputs.map(imagesOf));
  const images = found.flatMap((f) => f.images);
  const skipped = found.flatMap((f) => f.skipped);
  if (images.length === 0)
    throw new UserError(
      `no images found in ${inputs.join(", ")}` +
        (skipped.length ? ` (${skipped.join("; ")})` : ""),
    );
  const seen = new Map<string, string>();
  for (const { file, name } of images) {
    const other = seen.get(name);
    if (other)
      throw new UserError(
        `${other} and ${file} share the name ${name}; give their folder instead, or run them separately`,
      );
    seen.set(name, file);
  }
  return { images, skipped };
}

async function imagesOf(input: string): Promise<FoundImages> {
  let target: Stats;
  try {
    target = await stat(input);
  } catch (error) {
    return { images: [], skipped: [await unreachable(input, error)] };
  }
  if (!target.isDirectory())
    return { images: [{ file: input, name: basename(input) }], skipped: [] };
  const found: FoundImages = { images: [], skipped: [] };
  await search(input, input, new Map([[await realpath(input), input]]), found);
  found.images.sort((a, b) => (a.file < b.file ? -1 : 1));
  return found;
}

/**
 * Adds the images under `folder` to `found`, naming them by their path from `root`.
 * `searching` maps the real path of `folder` and of each folder above it to the path it was
 * reached by: a link to one of them is a loop.
 */
async function search(
  root: string,
  folder: string,
  searching: Map<string, string>,
  found: FoundImages,
): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    found.skipped.push(`${folder}: cannot read (${(error as NodeJS.ErrnoException).code})`);
    return;
  }
  for (const entry of entries) {
    const path = join(folder, entry.name);
    let kind: Dirent | Stats = entry;
    if (entry.isSymbolicLink()) {
      try {
        kind = await stat(path);
      } catch (error) {
        // a dangling link not named as an image is passed over, as any other file would be
        const dangling = (error as NodeJS.ErrnoException).code === "ENOENT";
        if (!dangling || isImageName(entry.name))
          found.skipped.push(await unreachable(path, error));
        continue;
      }
    }
    if (kind.isFile() && isImageName(entry.name))
      found.images.push({ file: path, name: relative(root, path) });
    if (!kind.isDirectory()) continue;
    const real = await realpath(path);
    const above = searching.get(real);
    if (above) found.skipped.push(`${path}: link loop back to ${above}, not followed`);
    else await search(root, path, new Map(searching).set(real, path), found);
  }
}

/** Why `path` could not be followed, for a `stat` that failed with `error`. */
async function unreachable(path: string, error: unknown): Promise<string> {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ELOOP") return `${path}: link loop, not followed`;
  if (code !== "ENOENT") return `${path}: cannot read (${code})`;
  const isLink = await lstat(path).then(
    (s) => s.isSymbolicLink(),
    () => false,
  );
  return isLink
    ? `${path}: broken link (to ${await readlink(path)})`
    : `${path}: no such file or folder`;
}
