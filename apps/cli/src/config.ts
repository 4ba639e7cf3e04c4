// The CLI's configuration, read from the environment once in main.ts and
// passed to commands. Unset service URLs mean "not configured": commands that
// need them say so, and the demo runs embedded.
import { z } from "zod";
import { logLevelVar, parseEnv, urlVar } from "@drnn/config";
import { DEFAULT_CACHE_MB } from "@drnn/artifacts";
import { BACKEND_CHOICES } from "@drnn/model";

const schema = z.object({
  DATABASE_URL: urlVar(["postgres", "postgresql"], "postgresql://user@127.0.0.1:5432/drnn"),
  REDIS_URL: urlVar(["redis", "rediss"], "redis://127.0.0.1:6379"),
  DRNN_ARTIFACTS_DIR: z.string().min(1).default(".artifacts"),
  /** Bound on this node's artifact cache (DRNN_ARTIFACTS_DIR/cache), MiB; least recently used entries go first. */
  DRNN_ARTIFACTS_CACHE_MB: z.coerce.number().int().min(1).default(DEFAULT_CACHE_MB),
  /** Where embedded mode keeps its database and the demo its data. */
  DRNN_HOME: z.string().min(1).default(".drnn"),
  /** Insist on one TF.js backend (BACKEND_CHOICES); unset picks the best that loads. */
  DRNN_BACKEND: z.enum(BACKEND_CHOICES).optional(),
  /** Options for Dawn's create(), comma-separated, e.g. `adapter=NVIDIA` (webgpu backend). */
  DRNN_WEBGPU_FLAGS: z
    .string()
    .optional()
    .transform((v) => (v ?? "").split(",").map((f) => f.trim()).filter((f) => f !== "")),
  /** Memory a worker's concurrent jobs may use together, MiB (default: the GPU's from nvidia-smi, else the host's RAM). */
  DRNN_WORKER_MEMORY_MB: z.coerce.number().int().min(1).optional(),
  /** `simulated` replaces training by a deterministic stand-in, to exercise queues and workers only. */
  DRNN_TRAINER: z.enum(["drnn", "simulated"]).default("drnn"),
  /** Wall time of one simulated epoch (DRNN_TRAINER=simulated). */
  DRNN_SIMULATED_EPOCH_MS: z.coerce.number().int().min(0).default(20),
  /** Epochs of a simulated run (capped by the campaign's R). */
  DRNN_SIMULATED_EPOCHS: z.coerce.number().int().min(1).default(3),
  /** How long a coordinator's lease on a campaign lasts without renewal (a crashed one's campaign waits this long). */
  DRNN_LEASE_MS: z.coerce.number().int().min(1000).default(30_000),
  /** `drnn worker`: BullMQ job lock and stall check, ms (a killed worker's job runs again after one to two of these). */
  DRNN_JOB_LOCK_MS: z.coerce.number().int().min(1000).max(600_000).default(15_000),
  /** `drnn api`: datasets registered by path must lie under this directory (or DRNN_HOME/api-data). */
  DRNN_DATA_ROOT: z.string().min(1).default("."),
  /** `drnn serve`: port of the recommendation API (--port wins). */
  DRNN_SERVE_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** `drnn serve`: the model name whose production alias (newest promotion) is served (--name wins). */
  DRNN_SERVE_MODEL: z.string().min(1).default("drnn"),
  /** `drnn serve`: how often the production alias is checked for a new version, ms. */
  DRNN_SERVE_POLL_MS: z.coerce.number().int().min(50).default(2000),
  /** `drnn serve`: page views kept per session in Redis (the window plus the newest history pages). */
  DRNN_SESSION_CAPACITY: z.coerce.number().int().min(1).max(100_000).default(256),
  /** Long-running commands (worker, coordinator, serve, api): the lowest level logged. */
  DRNN_LOG_LEVEL: logLevelVar(),
  /** How long a stopping worker lets its running jobs finish (then hands them back), and serve its requests in flight, ms. */
  DRNN_DRAIN_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  DRNN_QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, "letters, digits, '_' and '-' only")
    .default("drnn"),
});

export type CliConfig = z.infer<typeof schema>;

export function loadConfig(env: Record<string, string | undefined>): CliConfig {
  return parseEnv(schema, env);
}
