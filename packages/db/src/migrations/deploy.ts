// `migrate deploy` and `migrate status` without Prisma's native schema engine
// (it cannot be downloaded on offline machines). The bookkeeping is Prisma's
// own `_prisma_migrations` table, so the stock CLI can take over anywhere.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { MigrationError, DatabaseUnavailableError } from "../errors.js";
import { describeDatabase, reasonOf } from "../client.js";
import { readMigrations, type MigrationFile } from "./files.js";

// Prisma's advisory lock key: a deploy from either tool waits for the other.
const MIGRATION_LOCK_KEY = 72707369;

const HISTORY_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

interface HistoryRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
  /** Applied, but the file changed since: the database may not match the schema. */
  modified: string[];
  /** Started and never finished (a crash mid-migration under another tool). */
  failed: string[];
  /** In the database history, missing from the folder. */
  unknown: string[];
  clean: boolean;
}

export interface DeployResult {
  applied: string[];
  alreadyApplied: number;
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    throw new DatabaseUnavailableError(describeDatabase(url), reasonOf(err));
  }
  return client;
}

async function readHistory(client: pg.Client): Promise<HistoryRow[]> {
  const exists = await client.query<{ t: string | null }>(`SELECT to_regclass('"_prisma_migrations"') AS t`);
  if (!exists.rows[0]?.t) return [];
  const { rows } = await client.query<HistoryRow>(
    `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at`,
  );
  return rows.filter((r) => r.rolled_back_at === null);
}

function compare(files: MigrationFile[], history: HistoryRow[]): MigrationStatus {
  const byName = new Map(history.map((r) => [r.migration_name, r]));
  const fileNames = new Set(files.map((f) => f.name));
  const status: MigrationStatus = { applied: [], pending: [], modified: [], failed: [], unknown: [], clean: false };
  for (const file of files) {
    const row = byName.get(file.name);
    if (!row) status.pending.push(file.name);
    else if (row.finished_at === null) status.failed.push(file.name);
    else if (row.checksum !== file.checksum) status.modified.push(file.name);
    else status.applied.push(file.name);
  }
  status.unknown = history.map((r) => r.migration_name).filter((n) => !fileNames.has(n));
  status.clean = status.pending.length + status.modified.length + status.failed.length + status.unknown.length === 0;
  return status;
}

export async function migrationStatus(url: string, dir: string): Promise<MigrationStatus> {
  const files = readMigrations(dir);
  const client = await connect(url);
  try {
    return compare(files, await readHistory(client));
  } finally {
    await client.end();
  }
}

function refuseUnsafeHistory(status: MigrationStatus): void {
  const problems = [
    ...status.failed.map((n) => `${n} started but never finished`),
    ...status.modified.map((n) => `${n} was edited after it was applied`),
    ...status.unknown.map((n) => `${n} is applied but missing from the migrations folder`),
  ];
  if (problems.length > 0) throw new MigrationError(`refusing to deploy: ${problems.join("; ")}`);
}

async function applyOne(client: pg.Client, file: MigrationFile): Promise<void> {
  // One transaction per migration: a failing script leaves no trace, and a
  // rerun after the fix starts from the same place.
  await client.query("BEGIN");
  try {
    await client.query(file.sql);
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), now(), 1)`,
      [randomUUID(), file.checksum, file.name],
    );
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK");
    throw new MigrationError(`migration ${file.name} failed and was rolled back: ${reasonOf(err)}`);
  }
}

/** Applies every pending migration in order; a second call has nothing to do. */
export async function deployMigrations(url: string, dir: string): Promise<DeployResult> {
  const files = readMigrations(dir);
  const client = await connect(url);
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    await client.query(HISTORY_TABLE);
    const status = compare(files, await readHistory(client));
    refuseUnsafeHistory(status);
    for (const file of files.filter((f) => status.pending.includes(f.name))) await applyOne(client, file);
    return { applied: status.pending, alreadyApplied: status.applied.length };
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}
