// Errors that decide the CLI's exit status. Each has a stable `name`, so code
// that catches them never depends on a message.

/** Bad input from the user: options, files, values. Exit status 1. */
export class UsageError extends Error {
  override readonly name = "UsageError";
  readonly exitCode: number = 1;
}

/** A command of the contract that this build does not have yet. Exit status 2. */
export class NotImplementedError extends Error {
  override readonly name = "NotImplementedError";
  readonly exitCode: number = 2;
  constructor(readonly command: string) {
    super(`'drnn ${command}' is part of the command contract but is not built yet`);
  }
}

export function exitCodeOf(err: unknown): number {
  if (err instanceof UsageError || err instanceof NotImplementedError) return err.exitCode;
  return 1;
}
