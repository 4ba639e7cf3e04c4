// Embedded mode specifics: migrations on open, persistence across reopen, the
// migration runner over PGlite. The repository contract itself runs on both
// backends in repositories/*.conformance.ts.
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "./client.js";
import { createEmbeddedDb } from "./embedded.js";
import { MigrationError } from "./errors.js";
import { deployMigrationsWith, migrationStatusWith } from "./migrations/deploy.js";
import { defaultMigrationsDir, readMigrations } from "./migrations/files.js";
import { pgliteRunner } from "./migrations/runner.js";

const dir = defaultMigrationsDir();
const committed = readMigrations(dir).map((m) => m.name);
const scratch = mkdtempSync(join(tmpdir(), "drnn-pglite-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function appliedMigrations(db: DbHandle): Promise<string[]> {
  const rows = await db.prisma.$queryRawUnsafe<{ migration_name: string }[]>(
    `SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name`,
  );
  return rows.map((r) => r.migration_name);
}

describe("createEmbeddedDb in memory", { timeout: 120_000 }, () => {
  let db: DbHandle;
  beforeAll(async () => {
    db = await createEmbeddedDb();
  });
  afterAll(() => db?.close());

  it("applies the committed migrations on open, recorded in Prisma's history table", async () => {
    expect(await appliedMigrations(db)).toEqual(committed);
    expect(await db.prisma.candidate.count()).toBe(0);
  });

  it('reads PostgreSQL\'s internal "char" type (OID 18), which adapter-pg 7.10 rejects', async () => {
    const rows = await db.prisma.$queryRawUnsafe<{ relkind: string }[]>(`SELECT relkind FROM pg_class WHERE relname = 'Candidate'`);
    expect(rows).toEqual([{ relkind: "r" }]);
  });
});

describe("createEmbeddedDb with a dataDir", { timeout: 120_000 }, () => {
  it("keeps rows across close and reopen, and migrates only once", async () => {
    const dataDir = join(scratch, "resume");
    const first = await createEmbeddedDb({ dataDir });
    const dataset = await first.prisma.dataset.create({
      data: { name: "kept", format: "jsonl", contentHash: "sha256:kept", location: "/tmp/kept", stats: {} },
    });
    await first.close();

    const second = await createEmbeddedDb({ dataDir });
    try {
      expect((await second.prisma.dataset.findUniqueOrThrow({ where: { id: dataset.id } })).name).toBe("kept");
      expect(await appliedMigrations(second)).toEqual(committed);
    } finally {
      await second.close();
    }
  });

  it("refuses to open over a migration edited after it was applied", async () => {
    const dataDir = join(scratch, "edited");
    await (await createEmbeddedDb({ dataDir })).close();
    const copy = join(scratch, "edited-migrations");
    cpSync(dir, copy, { recursive: true });
    appendFileSync(join(copy, committed[0] ?? "", "migration.sql"), "\n-- edited\n");
    await expect(createEmbeddedDb({ dataDir, migrationsDir: copy })).rejects.toBeInstanceOf(MigrationError);
  });
});

describe("the migration runner over PGlite", { timeout: 120_000 }, () => {
  let pglite: PGlite;
  beforeAll(async () => {
    pglite = await PGlite.create();
  });
  afterAll(() => pglite?.close());

  it("deploys, then has nothing to do, and status is clean", async () => {
    const runner = pgliteRunner(pglite);
    expect(await migrationStatusWith(runner, dir)).toMatchObject({ applied: [], pending: committed, clean: false });
    expect(await deployMigrationsWith(runner, dir)).toEqual({ applied: committed, alreadyApplied: 0 });
    expect(await deployMigrationsWith(runner, dir)).toEqual({ applied: [], alreadyApplied: committed.length });
    expect(await migrationStatusWith(runner, dir)).toEqual({ applied: committed, pending: [], modified: [], failed: [], unknown: [], clean: true });
  });

  it("rolls a failing migration back completely and records nothing", async () => {
    const copy = join(scratch, "broken-migrations");
    cpSync(dir, copy, { recursive: true });
    mkdirSync(join(copy, "29990101000000_broken"));
    writeFileSync(join(copy, "29990101000000_broken", "migration.sql"), `CREATE TABLE "half" (id int);\nSELECT no_such_function();\n`);
    const runner = pgliteRunner(pglite);
    await expect(deployMigrationsWith(runner, copy)).rejects.toThrow(/29990101000000_broken failed and was rolled back/);
    expect((await pglite.query(`SELECT 1 FROM information_schema.tables WHERE table_name = 'half'`)).rows).toHaveLength(0);
    expect((await migrationStatusWith(runner, copy)).pending).toEqual(["29990101000000_broken"]);
    // The session is usable again after the rollback.
    expect((await pglite.query<{ one: number }>("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
  });
});
