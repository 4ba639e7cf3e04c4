// The CLI's configuration, read from the environment once in main.ts and
// passed to commands. Unset service URLs mean "not configured": commands that
// need them say so, and the demo runs embedded.
import { z } from "zod";
import { parseEnv, urlVar } from "@drnn/config";

const schema = z.object({
  DATABASE_URL: urlVar(["postgres", "postgresql"], "postgresql://user@127.0.0.1:5432/drnn"),
  REDIS_URL: urlVar(["redis", "rediss"], "redis://127.0.0.1:6379"),
  DRNN_ARTIFACTS_DIR: z.string().min(1).default(".artifacts"),
  DRNN_QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, "letters, digits, '_' and '-' only")
    .default("drnn"),
});

export type CliConfig = z.infer<typeof schema>;

export function loadConfig(env: Record<string, string | undefined>): CliConfig {
  return parseEnv(schema, env);
}
