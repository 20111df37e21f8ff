/**
 * Maps the 0.5th–99.5th percentile of 8-bit values to 0–255, so dim fluorescence shows.
 */
export function stretchContrast(values: Uint8Array): Uint8Array {
  const histogram = new Int32Array(256);
  for (const v of values) histogram[v]++;
  const low = percentile(histogram, values.length, 0.005);
  const high = Math.max(low + 1, percentile(histogram, values.length, 0.995));
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    out[i] = Math.max(0, Math.min(255, Math.round(((values[i] - low) * 255) / (high - low))));
  }
  return out;
}

function percentile(histogram: Int32Array, total: number, fraction: number): number {
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += histogram[v];
    if (seen >= total * fraction) return v;
  }
  return 255;
}
