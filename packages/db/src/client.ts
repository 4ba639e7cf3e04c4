// The database client factory. Whoever creates a client owns it and closes
// it; there is no shared instance anywhere.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/prisma/client.js";
import { DatabaseUnavailableError } from "./errors.js";

export type Db = InstanceType<typeof PrismaClient>;

export interface DbHandle {
  readonly prisma: Db;
  close(): Promise<void>;
}

export interface DbOptions {
  /** Pool size; workers need few, the API more. */
  maxConnections?: number;
}

export function createDb(url: string, options: DbOptions = {}): DbHandle {
  const adapter = new PrismaPg({ connectionString: url, max: options.maxConnections ?? 5 });
  const prisma = new PrismaClient({ adapter });
  return { prisma, close: () => prisma.$disconnect() };
}

/** Where a URL points, without credentials, for messages. */
export function describeDatabase(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || "5432"}${u.pathname}`;
  } catch {
    return "(unparseable URL)";
  }
}

/**
 * Connects once and runs `SELECT 1`; throws DatabaseUnavailableError with the
 * driver's reason in one line. Used at start-up so a wrong URL is reported
 * before any work starts.
 */
export async function checkDatabase(url: string, timeoutMs = 5000): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (err) {
    throw new DatabaseUnavailableError(describeDatabase(url), reasonOf(err));
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function reasonOf(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return reasonOf(err.errors[0]);
  if (err instanceof Error) {
    const code = (err as { code?: string }).code;
    const message = err.message.split("\n")[0] ?? "";
    return code && !message.includes(code) ? `${message} (${code})` : message || (code ?? err.name);
  }
  return String(err);
}
