/** Plain-text tables and numbers for terminal output. */

/** Renders rows as aligned columns; the first row is the header. */
export function table(rows: (string | number)[][]): string {
  const cells = rows.map((row) => row.map(String));
  const widths = cells[0].map((_, c) => Math.max(...cells.map((row) => row[c]?.length ?? 0)));
  return cells
    .map((row) =>
      row
        .map((cell, c) => cell.padEnd(widths[c]))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

export function percent(fraction: number, digits = 1): string {
  return `${(100 * fraction).toFixed(digits)} %`;
}

export function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
