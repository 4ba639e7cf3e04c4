// The output contract of every command (DESIGN.md section 8): with --json the
// last line of stdout is exactly one JSON object; progress and human text go
// to stderr; a failure is one line on stderr and a non-zero exit status.

export interface Output {
  readonly json: boolean;
  /** Human-facing progress: always stderr, so stdout stays parseable. */
  progress(line: string): void;
  /** The command's result: one JSON line with --json, else a readable summary. */
  result(value: Record<string, unknown>, human?: (value: Record<string, unknown>) => string): void;
}

export function createOutput(json: boolean, streams = { out: process.stdout, err: process.stderr }): Output {
  return {
    json,
    progress(line) {
      streams.err.write(`${line}\n`);
    },
    result(value, human) {
      if (json) streams.out.write(`${JSON.stringify(value, jsonReplacer)}\n`);
      else streams.out.write(`${human ? human(value) : formatHuman(value)}\n`);
    },
  };
}

function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}

function formatHuman(value: Record<string, unknown>): string {
  return Object.entries(value)
    .map(([k, v]) => `${k}: ${typeof v === "object" && v !== null ? JSON.stringify(v, jsonReplacer) : String(v)}`)
    .join("\n");
}

/** One line, no stack: what a user reads when a command fails. */
export function failureLine(err: unknown): string {
  if (!(err instanceof Error)) return `drnn: ${String(err)}`;
  const lines = err.message.split("\n").map((l) => l.trim()).filter(Boolean);
  // Prisma puts the call site first and the reason last.
  const line = err.message.startsWith("\nInvalid `") ? lines[lines.length - 1] : lines[0];
  return `drnn: ${line ?? err.name}`;
}
