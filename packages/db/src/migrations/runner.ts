// The few things the migration runner needs from a database connection, so
// the same deploy/status logic drives a PostgreSQL server (pg.Client) and an
// in-process PGlite. Neither wrapper splits scripts: migration.sql files hold
// plpgsql bodies with `;` inside `$$ ... $$`, so a whole file goes to the
// server as one simple-protocol, multi-statement script.
import type { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { DatabaseUnavailableError } from "../errors.js";
import { describeDatabase, reasonOf } from "../client.js";

export interface SqlRunner {
  /** One statement, with `$1`-style parameters. */
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
  /** A whole script, several statements, no parameters. */
  exec(script: string): Promise<void>;
  /**
   * Runs `fn` while no other migration runner can deploy to the same
   * database; released even when `fn` throws.
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  /** Ends the connection if this runner opened it. */
  close(): Promise<void>;
}

// Prisma's advisory lock key: a deploy from either tool waits for the other.
const MIGRATION_LOCK_KEY = 72707369;

/** Connects to a PostgreSQL server; DatabaseUnavailableError names it when that fails. */
export async function openPgRunner(url: string): Promise<SqlRunner> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    throw new DatabaseUnavailableError(describeDatabase(url), reasonOf(err));
  }
  return {
    async query<T>(sql: string, params?: unknown[]) {
      const result = await client.query(sql, params);
      return { rows: result.rows as T[] };
    },
    async exec(script) {
      // Without parameters pg uses the simple query protocol, which accepts
      // several statements in one string.
      await client.query(script);
    },
    async exclusive(fn) {
      await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
      try {
        return await fn();
      } finally {
        await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => undefined);
      }
    },
    close: () => client.end(),
  };
}

/**
 * Runs over an open PGlite that the caller owns: `close()` leaves it open.
 * Call it before anything else uses the instance (e.g. before the Prisma
 * client is created), since BEGIN/COMMIT here are plain statements on
 * PGlite's one session and would take in any query issued meanwhile.
 */
export function pgliteRunner(db: PGlite): SqlRunner {
  return {
    async query<T>(sql: string, params?: unknown[]) {
      const result = await db.query<T>(sql, params);
      return { rows: result.rows };
    },
    async exec(script) {
      await db.exec(script);
    },
    // No advisory lock: PGlite is one session inside one process, so there is
    // no second connection to exclude, and pg_advisory_lock would only lock
    // against itself. Two processes must never open the same dataDir anyway.
    exclusive: (fn) => fn(),
    close: () => Promise.resolve(),
  };
}
