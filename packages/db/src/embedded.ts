// Embedded mode: PostgreSQL compiled to Wasm (PGlite), inside this process, so
// the one-machine demo runs with no server and nothing listening on a port.
// Same schema, same migrations, same generated client and repositories as
// createDb; only the Prisma driver adapter differs.
import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "./generated/prisma/client.js";
import type { DbHandle } from "./client.js";
import { deployMigrationsWith } from "./migrations/deploy.js";
import { defaultMigrationsDir } from "./migrations/files.js";
import { pgliteRunner } from "./migrations/runner.js";

export interface EmbeddedDbOptions {
  /**
   * Where PGlite keeps its files. Undefined: in memory, gone on close. A
   * directory (created if missing): persisted, so a demo can be resumed by
   * opening the same directory again. One process at a time per directory:
   * PGlite does not lock it, and two writers corrupt it.
   */
  dataDir?: string;
  /** Migrations to apply on open; the repository's own by default. */
  migrationsDir?: string;
}

/**
 * Opens (or creates) an embedded database and applies pending migrations
 * before returning, so the handle is ready for the repositories. The caller
 * closes it; close() disconnects Prisma and then shuts PGlite down, which
 * flushes a persisted dataDir.
 */
export async function createEmbeddedDb(options: EmbeddedDbOptions = {}): Promise<DbHandle> {
  if (options.dataDir !== undefined) mkdirSync(options.dataDir, { recursive: true });
  const pglite = await PGlite.create(options.dataDir === undefined ? {} : { dataDir: options.dataDir });
  try {
    // Before the Prisma client exists: the runner's BEGIN/COMMIT share
    // PGlite's only session, so nothing else may run meanwhile.
    await deployMigrationsWith(pgliteRunner(pglite), options.migrationsDir ?? defaultMigrationsDir());
  } catch (err) {
    await pglite.close().catch(() => undefined);
    throw err;
  }
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  return {
    prisma,
    async close() {
      try {
        await prisma.$disconnect();
      } finally {
        await pglite.close();
      }
    },
  };
}
