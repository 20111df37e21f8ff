/** Parsers for commander options: each rejects bad input with a one-line reason. */
import { InvalidArgumentError } from "commander";
import type { Box } from "../image/morphology.js";
import { MAX_SEED } from "../random.js";

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

/** A seed for seededRandom: 0 … MAX_SEED, since larger ones would repeat smaller ones. */
export const seed = integer(0, MAX_SEED);

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

/** `x0,y0,x1,y1`: whole numbers ≥ 0 with x1 > x0 and y1 > y0 (columns x0 … x1 − 1, rows y0 … y1 − 1). */
export function box(value: string): Box {
  const [x0, y0, x1, y1, ...rest] = value.split(",").map((part) => Number(part.trim()));
  const whole = [x0, y0, x1, y1].every((n) => Number.isInteger(n) && n >= 0);
  if (rest.length > 0 || !whole || x1 <= x0 || y1 <= y0) {
    throw new InvalidArgumentError("expected x0,y0,x1,y1: whole numbers ≥ 0 with x1 > x0, y1 > y0");
  }
  return { x0, y0, x1, y1 };
}
