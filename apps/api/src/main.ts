// `pnpm --filter @drnn/api start`: the API (and dashboard build) over
// PostgreSQL, with a coordinator on BullMQ when REDIS_URL is set.
import { loadConfig } from "./config.js";
import { startApi } from "./server.js";

const log = (line: string) => process.stderr.write(`${line}\n`);
try {
  const config = loadConfig(process.env);
  const api = await startApi(config, log);
  log(`drnn api listening on ${api.url}`);
  const stop = async () => {
    await api.close();
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop());
  process.once("SIGINT", () => void stop());
} catch (err) {
  log(`drnn api: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
