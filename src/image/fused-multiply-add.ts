/**
 * a · b + c rounded once (IEEE 754 fusedMultiplyAdd), which JavaScript lacks: computed exactly
 * with BigInt and rounded by Number(), which rounds to nearest, ties to even. Slow (microseconds);
 * for the few operations whose last bit must match code that uses the processor's FMA.
 */
export function fusedMultiplyAdd(a: number, b: number, c: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b) || !Number.isFinite(c)) return a * b + c;
  const x = exactParts(a);
  const y = exactParts(b);
  const z = exactParts(c);
  const productExponent = x.exponent + y.exponent;
  const exponent = Math.min(productExponent, z.exponent);
  const sum =
    ((x.mantissa * y.mantissa) << BigInt(productExponent - exponent)) +
    (z.mantissa << BigInt(z.exponent - exponent));
  if (sum === 0n) return a * b + c; // the sign of an exact zero, as IEEE gives it
  return roundToDouble(sum, exponent);
}

/**
 * sum · 2^exponent to the nearest double: the sum cut to 64 significant bits, with a sticky bit
 * for what was cut, so that Number() rounds it as it would round the whole (results in the
 * normal range).
 */
function roundToDouble(sum: bigint, exponent: number): number {
  let magnitude = sum < 0n ? -sum : sum;
  const excess = magnitude.toString(2).length - 64;
  if (excess > 0) {
    const cut = magnitude & ((1n << BigInt(excess)) - 1n);
    magnitude = (magnitude >> BigInt(excess)) | (cut ? 1n : 0n);
    exponent += excess;
  }
  const value = scale(Number(magnitude), exponent);
  return sum < 0n ? -value : value;
}

/** value = mantissa · 2^exponent, both integers. */
function exactParts(value: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & 0xfffffffffffffn;
  const mantissa = biased === 0 ? fraction : fraction | 0x10000000000000n;
  const exponent = (biased === 0 ? 1 : biased) - 1075;
  return { mantissa: bits >> 63n ? -mantissa : mantissa, exponent };
}

/** value · 2^exponent, in steps whose factors stay within the double range. */
function scale(value: number, exponent: number): number {
  for (; exponent < -1000; exponent += 1000) value *= 2 ** -1000;
  for (; exponent > 1000; exponent -= 1000) value *= 2 ** 1000;
  return value * 2 ** exponent;
}
