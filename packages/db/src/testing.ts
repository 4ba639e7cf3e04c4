// Shared by this package's tests: a client on the run's database and rows to
// hang candidates on. Not exported from the package.
import { randomUUID } from "node:crypto";
import type { Campaign } from "./generated/prisma/client.js";
import { createDb, type DbHandle } from "./client.js";
import { createRepositories, type Repositories } from "./repositories/index.js";

export interface TestDb extends DbHandle {
  repos: Repositories;
}

export function openTestDb(url: string): TestDb {
  const handle = createDb(url, { maxConnections: 4 });
  return { ...handle, repos: createRepositories(handle.prisma) };
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
