/**
 * Which files count as images: the suffixes the CLI picks out of folders (and, through
 * pipeline/bucket-layout.ts, the upload trigger). Matched in any case (.TIF as .tif).
 */
export const IMAGE_SUFFIXES = [".png", ".tif", ".tiff", ".jpg", ".jpeg"] as const;

export function isImageName(name: string): boolean {
  const lower = name.toLowerCase();
  return IMAGE_SUFFIXES.some((suffix) => lower.endsWith(suffix));
}
