// `pnpm --filter @drnn/api start`: the API (and dashboard build) over
// PostgreSQL, with a coordinator on BullMQ when REDIS_URL is set. Logs JSON
// lines (pino) on stderr, pretty on a terminal; stops gracefully on SIGTERM.
import { createLogger } from "@drnn/ops";
import { loadConfig } from "./config.js";
import { startApi } from "./server.js";

let logger = createLogger({ name: "drnn-api" });
try {
  const config = loadConfig(process.env);
  logger = createLogger({ name: "drnn-api", level: config.DRNN_LOG_LEVEL });
  const api = await startApi(config, logger);
  logger.info({ url: api.url }, `drnn api listening on ${api.url}`);
  const stop = async (signal: string) => {
    logger.info({ signal }, `${signal}: stopping`);
    await api.close();
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
} catch (err) {
  logger.fatal({ reason: err instanceof Error ? err.message : String(err) }, "drnn api did not start");
  process.exit(1);
}
