/**
 * Which files count as images: the suffixes the CLI picks out of folders, and that the upload
 * trigger and its local emulation accept. Matched in any case (.TIF as .tif).
 */
export const IMAGE_SUFFIXES = [".png", ".tif", ".tiff", ".jpg", ".jpeg"] as const;

export function isImageName(name: string): boolean {
  const lower = name.toLowerCase();
  return IMAGE_SUFFIXES.some((suffix) => lower.endsWith(suffix));
}
