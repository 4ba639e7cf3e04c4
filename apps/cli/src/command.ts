// How a command is wired: handlers receive a context and return their result
// object; this module owns printing it and turning errors into exit statuses.
import type { Command } from "commander";
import type { CliConfig } from "./config.js";
import { exitCodeOf } from "./errors.js";
import { createOutput, failureLine, type Output } from "./output.js";

export interface CommandContext {
  readonly config: CliConfig;
  readonly out: Output;
}

export type Result = Record<string, unknown>;
export type Handler<O> = (ctx: CommandContext, options: O, args: string[]) => Promise<Result>;

export interface ActionSpec<O> {
  handler: Handler<O>;
  /** Readable form of the result when --json is not given. */
  human?: (result: Result) => string;
}

/** Resolved once by main.ts and shared by every command. */
export type ContextFactory = (json: boolean) => CommandContext;

export function action<O>(getContext: ContextFactory, spec: ActionSpec<O>) {
  return async (...raw: unknown[]): Promise<void> => {
    const command = raw[raw.length - 1] as Command;
    const options = command.optsWithGlobals() as O & { json?: boolean };
    const args = raw.slice(0, -2).flat().filter((a): a is string => typeof a === "string");
    const json = options.json === true;
    let ctx: CommandContext | undefined;
    try {
      ctx = getContext(json);
      const result = await spec.handler(ctx, options, args);
      ctx.out.result(result, spec.human);
    } catch (err) {
      reportFailure(err, json);
    }
  };
}

export function reportFailure(err: unknown, json: boolean): void {
  process.stderr.write(`${failureLine(err)}\n`);
  if (json) {
    const name = err instanceof Error ? err.name : "Error";
    const message = err instanceof Error ? err.message : String(err);
    createOutput(true).result({ ok: false, error: { name, message } });
  }
  process.exitCode = exitCodeOf(err);
}
