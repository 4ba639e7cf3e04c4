// apps/api's configuration, validated once at start-up (main.ts).
import { z } from "zod";
import { logLevelVar, parseEnv, urlVar } from "@drnn/config";
import { DEFAULT_CACHE_MB } from "@drnn/artifacts";

const flag = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

const schema = z.object({
  DATABASE_URL: urlVar(["postgres", "postgresql"], "postgresql://user@127.0.0.1:5432/drnn").refine((v) => v !== undefined, "required: the API reads and writes PostgreSQL"),
  /** Set: the API also runs a GA coordinator whose fitness jobs go to BullMQ (start workers with `drnn worker`). */
  REDIS_URL: urlVar(["redis", "rediss"], "redis://127.0.0.1:6379"),
  DRNN_QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_-]+$/).default("drnn"),
  DRNN_LEASE_MS: z.coerce.number().int().min(1000).default(30_000),
  API_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  API_HOST: z.string().min(1).default("127.0.0.1"),
  API_OPEN_READS: flag.default(false),
  API_BODY_LIMIT: z.string().regex(/^\d+(b|kb|mb)$/).default("256kb"),
  /** Default: the dashboard build next to this app (apps/dashboard/dist). */
  API_DASHBOARD_DIR: z.string().min(1).optional(),
  API_DATA_DIR: z.string().min(1).default(".drnn/api-data"),
  /** Datasets registered by path must lie under this directory (or API_DATA_DIR). */
  API_DATASET_ROOT: z.string().min(1).default("."),
  API_RUN_COORDINATOR: flag.default(true),
  /** This node's artifact folder: promoted versions under <dir>/models/<name>/, the artifact cache under <dir>/cache. */
  DRNN_ARTIFACTS_DIR: z.string().min(1).default(".artifacts"),
  DRNN_ARTIFACTS_CACHE_MB: z.coerce.number().int().min(1).default(DEFAULT_CACHE_MB),
  DRNN_LOG_LEVEL: logLevelVar(),
  /** On SIGTERM, how long requests in flight may finish, ms. */
  DRNN_DRAIN_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
});

export type ApiAppConfig = z.infer<typeof schema> & { DATABASE_URL: string };

export function loadConfig(env: Record<string, string | undefined>): ApiAppConfig {
  return parseEnv(schema, env) as ApiAppConfig;
}
