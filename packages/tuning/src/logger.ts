// Structured logs (pino, JSON lines on stderr) for what the services must not
// swallow: worker errors, failed heartbeats, requeues. A logger is passed in
// (the entry points make one); nothing here keeps a module-level instance.
import { pino, type Logger as PinoLogger } from "pino";

export type Logger = Pick<PinoLogger, "info" | "warn" | "error" | "child">;

/** JSON lines on stderr (fd 2), so a command's stdout stays its result. */
export function createLogger(name: string, level = "info"): Logger {
  return pino({ name, level }, pino.destination(2));
}

/** For callers that log nowhere (tests, benchmarks): says so explicitly. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
