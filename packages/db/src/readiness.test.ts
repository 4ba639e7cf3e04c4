// The database half of /readyz against real PostgreSQL: an empty database is
// reachable but not migrated; once deployed both checks pass; a server that
// is not there fails both with the driver's reason.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { deployMigrations } from "./migrations/deploy.js";
import { defaultMigrationsDir } from "./migrations/files.js";
import { databaseReadiness } from "./readiness.js";

const runUrl = inject("databaseUrl");
const name = `${new URL(runUrl).pathname.slice(1)}_ready_${randomBytes(2).toString("hex")}`;
const url = (() => {
  const u = new URL(runUrl);
  u.pathname = `/${name}`;
  return u.toString();
})();

async function admin(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: runUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

beforeAll(() => admin(`CREATE DATABASE "${name}"`));
afterAll(() => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));

describe("databaseReadiness", () => {
  it("is not ready before the migrations are applied, and ready after", async () => {
    const checks = databaseReadiness(url);
    await expect(checks.postgresql()).resolves.toBeUndefined();
    await expect(checks.migrations()).rejects.toThrow(/^migrations not applied: \d+ pending; run 'drnn db deploy'$/);
    await deployMigrations(url, defaultMigrationsDir());
    await expect(checks.migrations()).resolves.toBeUndefined();
  });

  it("fails both checks with the reason when PostgreSQL is not there", async () => {
    const checks = databaseReadiness("postgresql://postgres@127.0.0.1:1/none");
    await expect(checks.postgresql()).rejects.toThrow(/ECONNREFUSED/);
    await expect(checks.migrations()).rejects.toThrow(/ECONNREFUSED/);
  });
});
