// The CLI's configuration, read from the environment once in main.ts and
// passed to commands. Unset service URLs mean "not configured": commands that
// need them say so, and the demo runs embedded.
import { z } from "zod";
import { parseEnv, urlVar } from "@drnn/config";

const schema = z.object({
  DATABASE_URL: urlVar(["postgres", "postgresql"], "postgresql://user@127.0.0.1:5432/drnn"),
  REDIS_URL: urlVar(["redis", "rediss"], "redis://127.0.0.1:6379"),
  DRNN_ARTIFACTS_DIR: z.string().min(1).default(".artifacts"),
  /** Where embedded mode keeps its database and the demo its data. */
  DRNN_HOME: z.string().min(1).default(".drnn"),
  /** Insist on one TF.js backend (tfjs-node-gpu, tfjs-node, wasm, cpu); unset picks the best that loads. */
  DRNN_BACKEND: z.enum(["tfjs-node-gpu", "tfjs-node", "wasm", "cpu"]).optional(),
  /** `simulated` replaces training by a deterministic stand-in, to exercise queues and workers only. */
  DRNN_TRAINER: z.enum(["drnn", "simulated"]).default("drnn"),
  /** Wall time of one simulated epoch (DRNN_TRAINER=simulated). */
  DRNN_SIMULATED_EPOCH_MS: z.coerce.number().int().min(0).default(20),
  /** How long a coordinator's lease on a campaign lasts without renewal (a crashed one's campaign waits this long). */
  DRNN_LEASE_MS: z.coerce.number().int().min(1000).default(30_000),
  DRNN_QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, "letters, digits, '_' and '-' only")
    .default("drnn"),
});

export type CliConfig = z.infer<typeof schema>;

export function loadConfig(env: Record<string, string | undefined>): CliConfig {
  return parseEnv(schema, env);
}
