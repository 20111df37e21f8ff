/**
 * An error caused by the user's input (a file, an option): the CLI prints its message as one
 * line, without a stack trace, and exits with a non-zero code.
 */
export class UserError extends Error {
  override name = "UserError";
}
