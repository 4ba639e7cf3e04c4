// The committed migrations, in Prisma's layout:
// prisma/migrations/<timestamp>_<name>/migration.sql, applied in name order.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export interface MigrationFile {
  readonly name: string;
  readonly sql: string;
  /** SHA-256 of the file, as Prisma computes it, so either tool accepts the other's history. */
  readonly checksum: string;
}

/** The repository's own migrations folder. */
export function defaultMigrationsDir(): string {
  return fileURLToPath(new URL("../../../../prisma/migrations", import.meta.url));
}

export function readMigrations(dir: string): MigrationFile[] {
  if (!existsSync(dir)) throw new Error(`no migrations folder at ${dir}`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}
