/**
 * Reading a process's configuration from environment variables: every problem is collected, so
 * one error names them all. The segment function and the training job read theirs this way.
 */

import { UserError } from "../errors.js";

/** A check of a set value: undefined when fine, else what is wrong with it. */
export type ValueCheck = (value: string) => string | undefined;

export class EnvironmentReader {
  private readonly problems: string[] = [];

  /** `what` names the environment in the error, e.g. "training job". */
  constructor(
    private readonly what: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /** The variable's value ("" when unset, which is a problem). */
  read(name: string, check: ValueCheck = () => undefined): string {
    const value = this.env[name] ?? "";
    const problem = value ? check(value) : "is not set";
    if (problem) this.problems.push(`${name} ${problem}`);
    return value;
  }

  /** Throws one line naming every problem found. */
  finish(): void {
    if (this.problems.length)
      throw new UserError(`${this.what} environment: ${this.problems.join("; ")}`);
  }
}

export function under(prefix: string): ValueCheck {
  return (value) =>
    value.startsWith(prefix) ? undefined : `must be under ${prefix} (got ${value})`;
}

export const positiveInteger: ValueCheck = (value) =>
  /^[1-9][0-9]*$/.test(value) ? undefined : `must be a positive integer (got ${value})`;
