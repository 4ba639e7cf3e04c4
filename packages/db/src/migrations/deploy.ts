// `migrate deploy` and `migrate status` without Prisma's native schema engine
// (it cannot be downloaded on offline machines). The bookkeeping is Prisma's
// own `_prisma_migrations` table, so the stock CLI can take over anywhere.
import { randomUUID } from "node:crypto";
import { MigrationError } from "../errors.js";
import { reasonOf } from "../client.js";
import { readMigrations, type MigrationFile } from "./files.js";
import { openPgRunner, type SqlRunner } from "./runner.js";

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

async function readHistory(client: SqlRunner): Promise<HistoryRow[]> {
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

/** Status over a runner the caller opened and will close. */
export async function migrationStatusWith(runner: SqlRunner, dir: string): Promise<MigrationStatus> {
  return compare(readMigrations(dir), await readHistory(runner));
}

export async function migrationStatus(url: string, dir: string): Promise<MigrationStatus> {
  const files = readMigrations(dir); // a missing folder is reported before any connection
  const runner = await openPgRunner(url);
  try {
    return compare(files, await readHistory(runner));
  } finally {
    await runner.close();
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

async function applyOne(client: SqlRunner, file: MigrationFile): Promise<void> {
  // One transaction per migration: a failing script leaves no trace, and a
  // rerun after the fix starts from the same place. The file goes as one
  // script, never split on `;` (plpgsql bodies contain them).
  await client.exec("BEGIN");
  try {
    await client.exec(file.sql);
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), now(), 1)`,
      [randomUUID(), file.checksum, file.name],
    );
    await client.exec("COMMIT");
  } catch (err) {
    await client.exec("ROLLBACK");
    throw new MigrationError(`migration ${file.name} failed and was rolled back: ${reasonOf(err)}`);
  }
}

/** Applies every pending migration in order over a runner the caller opened and will close. */
export function deployMigrationsWith(runner: SqlRunner, dir: string): Promise<DeployResult> {
  return deployFiles(runner, readMigrations(dir));
}

function deployFiles(runner: SqlRunner, files: MigrationFile[]): Promise<DeployResult> {
  return runner.exclusive(async () => {
    await runner.exec(HISTORY_TABLE);
    const status = compare(files, await readHistory(runner));
    refuseUnsafeHistory(status);
    for (const file of files.filter((f) => status.pending.includes(f.name))) await applyOne(runner, file);
    return { applied: status.pending, alreadyApplied: status.applied.length };
  });
}

/** Applies every pending migration in order; a second call has nothing to do. */
export async function deployMigrations(url: string, dir: string): Promise<DeployResult> {
  const files = readMigrations(dir); // a missing folder is reported before any connection
  const runner = await openPgRunner(url);
  try {
    return await deployFiles(runner, files);
  } finally {
    await runner.close();
  }
}
