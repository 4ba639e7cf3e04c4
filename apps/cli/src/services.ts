// The CLI's view of the services: which variable configures each, and one
// line naming that variable when it is missing or wrong.
import { checkDatabase } from "@drnn/db";
import { checkRedis } from "@drnn/queue";
import { redactUrl } from "@drnn/config";
import type { CliConfig } from "./config.js";
import { UsageError } from "./errors.js";

export class ServiceError extends Error {
  override readonly name = "ServiceError";
  constructor(
    readonly variable: "DATABASE_URL" | "REDIS_URL",
    cause: Error,
  ) {
    super(`${variable}: ${cause.message}`);
  }
}

export function requireDatabaseUrl(config: CliConfig): string {
  if (!config.DATABASE_URL) throw new UsageError("DATABASE_URL is not set; set it to postgresql://USER@HOST:5432/DATABASE");
  return config.DATABASE_URL;
}

export function requireRedisUrl(config: CliConfig): string {
  if (!config.REDIS_URL) throw new UsageError("REDIS_URL is not set; set it to redis://HOST:6379");
  return config.REDIS_URL;
}

/** Runs `fn`, re-labelling any failure with the variable that pointed there. */
export async function viaVariable<T>(variable: ServiceError["variable"], fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new ServiceError(variable, err instanceof Error ? err : new Error(String(err)));
  }
}

export async function reachableDatabase(config: CliConfig): Promise<string> {
  const url = requireDatabaseUrl(config);
  await viaVariable("DATABASE_URL", () => checkDatabase(url));
  return url;
}

export async function reachableRedis(config: CliConfig): Promise<string> {
  const url = requireRedisUrl(config);
  await viaVariable("REDIS_URL", () => checkRedis(url));
  return url;
}

export { redactUrl };
