/**
 * An error caused by the user's input (a file, an option): the CLI prints its message as one
 * line, without a stack trace, and exits with a non-zero code.
 */
export class UserError extends Error {
  override name = "UserError";
}

/** What is wrong with an input image, for callers that count refusals by kind. */
export type ImageProblem = "too-large" | "unreadable";

/** A UserError about an input image that says what kind of problem it is. */
export class ImageError extends UserError {
  readonly problem: ImageProblem;

  constructor(message: string, problem: ImageProblem) {
    super(message);
    this.problem = problem;
  }
}
