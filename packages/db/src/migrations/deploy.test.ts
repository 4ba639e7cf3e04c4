import { cpSync, mkdtempSync, rmSync, appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { MigrationError, DatabaseUnavailableError } from "../errors.js";
import { deployMigrations, migrationStatus } from "./deploy.js";
import { defaultMigrationsDir, readMigrations } from "./files.js";
import { createEmptyTestDatabase, dropTestDatabase, ownDatabaseName, withDatabase } from "../../../../test/services.js";

const runUrl = inject("databaseUrl");
const name = ownDatabaseName(runUrl, "mig");
const url = withDatabase(runUrl, name);

async function sql<T extends pg.QueryResultRow>(target: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: target });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

beforeAll(() => createEmptyTestDatabase(runUrl, name));
afterAll(() => dropTestDatabase(runUrl, url));

describe("migrations without the native schema engine", () => {
  const dir = defaultMigrationsDir();
  const committed = readMigrations(dir).map((m) => m.name);

  it("finds the committed migrations in Prisma's layout", () => {
    expect(committed.length).toBeGreaterThanOrEqual(2);
    expect(committed[0]).toMatch(/^\d{14}_init$/);
  });

  it("reports everything pending on an empty database", async () => {
    const status = await migrationStatus(url, dir);
    expect(status).toMatchObject({ applied: [], pending: committed, clean: false });
  });

  it("deploys on an empty database, then has nothing to do, and status is clean", async () => {
    const first = await deployMigrations(url, dir);
    expect(first).toEqual({ applied: committed, alreadyApplied: 0 });
    const second = await deployMigrations(url, dir);
    expect(second).toEqual({ applied: [], alreadyApplied: committed.length });
    const status = await migrationStatus(url, dir);
    expect(status).toEqual({ applied: committed, pending: [], modified: [], failed: [], unknown: [], clean: true });
    const tables = await sql<{ n: string }>(url, `SELECT count(*)::text AS n FROM information_schema.tables WHERE table_name = 'Candidate'`);
    expect(tables[0]?.n).toBe("1");
    const rows = await sql<{ migration_name: string; applied_steps_count: number }>(
      url,
      `SELECT migration_name, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(rows.map((r) => r.migration_name)).toEqual(committed);
  });

  it("refuses to deploy over a migration edited after it was applied", async () => {
    const copy = mkdtempSync(join(tmpdir(), "drnn-mig-"));
    try {
      cpSync(dir, copy, { recursive: true });
      appendFileSync(join(copy, committed[0] ?? "", "migration.sql"), "\n-- edited\n");
      expect((await migrationStatus(url, copy)).modified).toEqual([committed[0]]);
      await expect(deployMigrations(url, copy)).rejects.toBeInstanceOf(MigrationError);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it("rolls a failing migration back completely and records nothing", async () => {
    const copy = mkdtempSync(join(tmpdir(), "drnn-mig-"));
    try {
      cpSync(dir, copy, { recursive: true });
      mkdirSync(join(copy, "29990101000000_broken"));
      writeFileSync(join(copy, "29990101000000_broken", "migration.sql"), `CREATE TABLE "half" (id int);\nSELECT no_such_function();\n`);
      await expect(deployMigrations(url, copy)).rejects.toThrow(/29990101000000_broken failed and was rolled back/);
      expect(await sql(url, `SELECT 1 FROM information_schema.tables WHERE table_name = 'half'`)).toHaveLength(0);
      expect((await migrationStatus(url, copy)).pending).toEqual(["29990101000000_broken"]);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it("names an unreachable server in one line", async () => {
    const error = await migrationStatus("postgresql://postgres@127.0.0.1:1/none", dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect((error as Error).message).toMatch(/^cannot reach PostgreSQL at 127\.0\.0\.1:1\/none: .*ECONNREFUSED/);
    expect((error as Error).message).not.toContain("\n");
  });
});
