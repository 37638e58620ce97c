// Errors a user can act on: printed as one line on stderr with a non-zero exit, never a stack.
export class UserError extends Error {
  constructor(
    message: string,
    /** Exit status: 2 for bad input, 1 for anything else that went wrong. */
    public readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** One line for any error: the message of a UserError, or a short form of anything else. */
export function oneLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0]!.slice(0, 500);
}
