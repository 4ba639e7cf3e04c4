// What the long-running commands (worker, coordinator, serve, api) share for
// operators: their progress lines become structured log lines, and
// --metrics-port puts a Prometheus endpoint on a port of their own.
import { createLogger, createMetricsRegistry, startMetricsServer, type Logger, type MetricsSource, type Registry } from "@drnn/ops";
import type { CommandContext } from "./command.js";
import { intOption } from "./options.js";
import type { Output } from "./output.js";

export interface LongRunning {
  logger: Logger;
  /** The command's Output with progress lines logged (info) instead of printed. */
  out: Output;
  registry: Registry;
}

/** `name` is the `name` field of the process's lines; the level is DRNN_LOG_LEVEL (validated with the config). */
export function longRunning(c: CommandContext, name: string): LongRunning {
  const logger = createLogger({ name, level: c.config.DRNN_LOG_LEVEL });
  return { logger, out: { ...c.out, progress: (line) => logger.info(line) }, registry: createMetricsRegistry() };
}

export interface MetricsFlags {
  metricsPort?: string;
  metricsHost: string;
}

export const METRICS_PORT_HELP = "serve Prometheus metrics on GET http://HOST:PORT/metrics (0: any free port)";

/** Starts the metrics server when --metrics-port is given; returns its closer. */
export async function metricsPort(f: MetricsFlags, run: LongRunning, sources: readonly MetricsSource[] = []): Promise<{ url: string | null; close(): Promise<void> }> {
  if (f.metricsPort === undefined) return { url: null, close: async () => undefined };
  const server = await startMetricsServer({ registry: run.registry, sources, port: intOption("--metrics-port", f.metricsPort, 0), host: f.metricsHost, logger: run.logger });
  return { url: server.url, close: () => server.close() };
}

/** Resolves with the first of SIGTERM / SIGINT. */
export function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    process.once("SIGTERM", () => resolve("SIGTERM"));
    process.once("SIGINT", () => resolve("SIGINT"));
  });
}
