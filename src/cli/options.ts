/** Parsers for commander options: each rejects bad input with a one-line reason. */
import { InvalidArgumentError } from "commander";

export function integer(min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(
        `expected a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : " up"}`,
      );
    }
    return n;
  };
}

/** Formats examples for `addHelpText("after", …)`. */
export function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join("\n")}\n`;
}

/** A number > 0 (or ≥ 0 with `allowZero`). */
export function positive(allowZero = false): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0 || (n === 0 && !allowZero)) {
      throw new InvalidArgumentError(`expected a number ${allowZero ? "≥ 0" : "> 0"}`);
    }
    return n;
  };
}

/** A number in (0, 1]. */
export function fraction(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 1) {
    throw new InvalidArgumentError("expected a number above 0 and at most 1");
  }
  return n;
}

/** Comma-separated numbers, e.g. `16,32,64`. */
export function numberList(value: string): number[] {
  const values = value.split(",").map((part) => Number(part.trim()));
  if (values.length === 0 || values.some((n) => !Number.isFinite(n))) {
    throw new InvalidArgumentError("expected numbers separated by commas, e.g. 16,32,64");
  }
  return values;
}
