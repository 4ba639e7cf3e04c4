// Errors that decide the CLI's exit status. Each has a stable `name`, so code
// that catches them never depends on a message.

/** Bad input from the user: options, files, values. Exit status 1. */
export class UsageError extends Error {
  override readonly name = "UsageError";
  readonly exitCode: number = 1;
}

export function exitCodeOf(err: unknown): number {
  if (err instanceof UsageError) return err.exitCode;
  return 1;
}
