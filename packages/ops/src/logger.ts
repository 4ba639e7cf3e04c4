// Structured logs (pino): JSON lines on stderr, so a command's stdout stays
// its result; human-readable (pino-pretty) when stderr is a terminal. Entry
// points make one logger with createLogger and pass it down; code about a
// campaign, candidate, job or worker logs through a child that carries those
// ids, so every line about them names them. Nothing keeps a module-level instance.
import { pino, type DestinationStream, type Logger as PinoLogger } from "pino";
import pretty from "pino-pretty";
import type { LogLevel } from "@drnn/config";

export type Logger = Pick<PinoLogger, "trace" | "debug" | "info" | "warn" | "error" | "fatal" | "child" | "level">;

export type { LogLevel };

/** The ids a child logger binds; each line about that thing carries them. */
export interface LogIds {
  campaignId?: string;
  candidateId?: string;
  jobId?: string;
  workerId?: string;
  coordinator?: string;
}

export interface LoggerOptions {
  /** The process, e.g. "drnn-worker": the `name` field of every line. */
  name: string;
  level?: LogLevel;
  /** Pretty lines instead of JSON; default: when stderr is a terminal. */
  pretty?: boolean;
  /** Where lines go (tests); default stderr. */
  destination?: DestinationStream;
}

export function createLogger(o: LoggerOptions): Logger {
  const options = { name: o.name, level: o.level ?? "info" };
  if (o.destination) return pino(options, o.destination);
  // Synchronous, on this thread: a worker-thread transport can lose the last lines of a process that exits.
  if (o.pretty ?? process.stderr.isTTY === true) return pino(options, pretty({ destination: 2, sync: true, colorize: true, translateTime: "SYS:HH:MM:ss.l" }));
  return pino(options, pino.destination({ dest: 2, sync: true }));
}

/** For callers that log nowhere (tests, benchmarks): says so explicitly. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}

/** The one-line reason of an error, for a warning that must not carry a stack trace. */
export function reasonOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: string }).code;
  const message = err.message.split("\n").find((l) => l.trim() !== "")?.trim() ?? err.name;
  return code && !message.includes(code) ? `${message} (${code})` : message;
}
