// Env parsing shared by the apps. Each app declares its own zod schema and
// calls parseEnv once at start-up; nothing else in the code base reads
// process.env (lint enforces it).
import { DrnnError } from "@drnn/contract";
import { z } from "zod";

export class ConfigError extends DrnnError {
  override readonly name = "ConfigError";
  readonly code = "INVALID_CONFIG" as const;
  constructor(readonly issues: readonly { variable: string; problem: string }[]) {
    super(issues.map((i) => `${i.variable}: ${i.problem}`).join("; "));
  }
}

/** Validates `env` against `schema`; the error names every wrong variable. */
export function parseEnv<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => ({
      variable: issue.path.map(String).join(".") || "(environment)",
      problem: issue.message,
    })),
  );
}

/** A URL variable whose scheme must be one of `schemes`; empty counts as unset. */
export function urlVar(schemes: readonly string[], example: string) {
  return z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .optional()
      .superRefine((value, ctx) => {
        if (value === undefined) return;
        let url: URL;
        try {
          url = new URL(value);
        } catch {
          ctx.addIssue({ code: "custom", message: `not a URL (${JSON.stringify(value)}); expected something like ${example}` });
          return;
        }
        if (!schemes.includes(url.protocol.replace(/:$/, ""))) {
          ctx.addIssue({ code: "custom", message: `scheme '${url.protocol}' is not one of ${schemes.map((s) => `${s}:`).join(", ")}; expected something like ${example}` });
        }
      }),
  );
}

/** Prints a URL without its password, for messages and logs. */
export function redactUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = "***";
    return url.toString();
  } catch {
    return value;
  }
}

/** The levels DRNN_LOG_LEVEL accepts (pino's); one home for the set. */
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** DRNN_LOG_LEVEL: how much a long-running process logs (default info). */
export function logLevelVar() {
  return z.preprocess((v) => (v === "" ? undefined : v), z.enum(LOG_LEVELS).default("info"));
}
