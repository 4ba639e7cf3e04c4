// Shared by this package's tests: a client on either backend and rows to hang
// candidates on. Not exported from the package.
import { randomUUID } from "node:crypto";
import type { Campaign } from "./generated/prisma/client.js";
import { createDb, type DbHandle } from "./client.js";
import { createEmbeddedDb } from "./embedded.js";
import { createRepositories, type Repositories } from "./repositories/index.js";

export interface TestDb extends DbHandle {
  repos: Repositories;
}

export function openTestDb(url: string): TestDb {
  const handle = createDb(url, { maxConnections: 4 });
  return { ...handle, repos: createRepositories(handle.prisma) };
}

export async function openEmbeddedTestDb(): Promise<TestDb> {
  const handle = await createEmbeddedDb();
  return { ...handle, repos: createRepositories(handle.prisma) };
}

export type BackendName = "postgres" | "pglite";

/** One way to open the database a conformance suite runs against. */
export interface Backend {
  name: BackendName;
  open(): Promise<TestDb>;
}

/**
 * Both backends: the PostgreSQL server of the test run (its URL comes from
 * vitest's inject in the test file) and an in-memory PGlite per suite.
 */
export function testBackends(databaseUrl: string): Backend[] {
  return [
    { name: "postgres", open: () => Promise.resolve(openTestDb(databaseUrl)) },
    { name: "pglite", open: openEmbeddedTestDb },
  ];
}

export async function makeCampaign(repos: Repositories): Promise<Campaign> {
  const dataset = await repos.datasets.register({
    name: "fixture",
    format: "jsonl",
    contentHash: `sha256:${randomUUID()}`,
    location: "/tmp/fixture",
    stats: { sessions: 1 },
  });
  return repos.campaigns.create({
    datasetId: dataset.id,
    strategy: "paper",
    searchSpace: {},
    gaSettings: { population: 4, generations: 2 },
    seed: 42n,
    budget: 8,
  });
}
