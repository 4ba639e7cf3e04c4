// The store contract on PostgreSQL (the test run's server) and on embedded
// PGlite, both through the same Prisma schema.
import { describe, inject } from "vitest";
import { createDb, createEmbeddedDb, createRepositories } from "@drnn/db";
import { PostgresArtifactStore } from "./postgres-store.js";
import { defineStoreConformance } from "./store.conformance.js";

// Small chunks so every test crosses chunk boundaries.
const CHUNK = 4096;

describe("postgres", () => {
  defineStoreConformance(async () => {
    const db = createDb(inject("databaseUrl"), { maxConnections: 4 });
    return { store: new PostgresArtifactStore(createRepositories(db.prisma).artifacts, CHUNK), close: () => db.close() };
  }, CHUNK);
});

describe("pglite", () => {
  defineStoreConformance(async () => {
    const db = await createEmbeddedDb();
    return { store: new PostgresArtifactStore(createRepositories(db.prisma).artifacts, CHUNK), close: () => db.close() };
  }, CHUNK);
});
