// The database half of /readyz against real PostgreSQL: an empty database is
// reachable but not migrated; once deployed both checks pass; a server that
// is not there fails both with the driver's reason.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { deployMigrations } from "./migrations/deploy.js";
import { defaultMigrationsDir } from "./migrations/files.js";
import { databaseReadiness } from "./readiness.js";
import { createEmptyTestDatabase, dropTestDatabase, ownDatabaseName, withDatabase } from "../../../test/services.js";

const runUrl = inject("databaseUrl");
// Empty at first: the migrations are applied by the first test.
const url = withDatabase(runUrl, ownDatabaseName(runUrl, "ready"));

beforeAll(() => createEmptyTestDatabase(runUrl, new URL(url).pathname.slice(1)));
afterAll(() => dropTestDatabase(runUrl, url));

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
