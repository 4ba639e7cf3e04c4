// A job whose dataset artifact is missing from the store, or damaged there,
// fails at once (no retry can fix it) with a reason naming the artifact; the
// same job on an intact artifact trains. Real PostgreSQL, the worker's own
// evaluation path (evaluateCandidate with the CLI's NodeArtifacts).
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ArtifactCache, NodeArtifacts, PostgresArtifactStore } from "@drnn/artifacts";
import { createDb, createRepositories, type Dataset, type DbHandle, type Repositories } from "@drnn/db";
import type { FitnessJobPayload } from "@drnn/queue";
import { SimulatedTrainer, evaluateCandidate } from "@drnn/tuning";
import { prepareSyntheticDataset } from "./testing/synthetic-dataset.js";

const home = mkdtempSync(join(tmpdir(), "drnn-job-art-"));
let db: DbHandle;
let repos: Repositories;
let store: PostgresArtifactStore;
let pushed: Dataset;

const node = () => new NodeArtifacts(repos, store, new ArtifactCache({ dir: mkdtempSync(join(home, "cache-")), store, maxBytes: 1 << 30 }));

beforeAll(async () => {
  db = createDb(inject("databaseUrl"));
  repos = createRepositories(db.prisma);
  store = new PostgresArtifactStore(repos.artifacts, 8192);
  await repos.workers.register({ id: "artifact-test-worker", hostname: "localhost", backend: "simulated", device: "none", concurrency: 1 });
  await prepareSyntheticDataset(home, { sessions: 120, seed: 77 });
  pushed = (await node().pushDataset(join(home, "ds"), "job-artifacts")).dataset;
}, 60_000);

afterAll(() => db.close());

/** A queued candidate of a fresh campaign on `dataset`, as the coordinator would send it (the path is one this node lacks). */
async function jobOn(dataset: Dataset): Promise<FitnessJobPayload> {
  const campaign = await repos.campaigns.create({ datasetId: dataset.id, strategy: "random", searchSpace: {}, gaSettings: {}, seed: 1n, budget: 1 });
  const candidate = await repos.candidates.create({ campaignId: campaign.id, chromosome: { w: 2 }, hash: randomUUID() });
  return {
    campaignId: campaign.id,
    candidateId: candidate.id,
    hash: candidate.hash,
    chromosome: { w: 2 },
    dataset: { id: dataset.id, contentHash: dataset.contentHash, location: "/not/on/this/node" },
    training: { policy: "patience", maxEpochs: 2, pi: 0.001, patience: 2, unsettledFitness: 0, pruning: null, seed: 1 },
  };
}

function run(payload: FitnessJobPayload) {
  const deps = { repos, trainer: new SimulatedTrainer({ epochMs: 1, epochs: 2 }), worker: { id: "artifact-test-worker", backend: "simulated", device: "none" }, artifacts: node() };
  return evaluateCandidate(payload, deps, { number: 1, final: false });
}

/** The same dataset row under another content hash, pointing at another artifact. */
async function variant(artifactHash: string): Promise<Dataset> {
  return repos.datasets.register({ name: "variant", format: "jsonl", contentHash: randomUUID(), location: "/gone", stats: {}, artifactHash });
}

describe("a job's dataset artifact", () => {
  it("trains when the artifact is intact, fetched by hash", async () => {
    const outcome = await run(await jobOn(pushed));
    expect(outcome.kind).toBe("completed");
  });

  it("missing from the store: the job fails at once, naming it", async () => {
    const missing = "e".repeat(64);
    const payload = await jobOn(await variant(missing));
    await expect(run(payload)).rejects.toMatchObject({ name: "PermanentFailureError" });
    const c = await repos.candidates.get(payload.candidateId);
    expect(c.state).toBe("failed");
    expect(c.error).toMatch(new RegExp(`ArtifactMissingError: artifact ${missing} \\(dataset variant\\) is not in the artifact store`));
  });

  it("damaged in the store: refused after fetching it again, the job fails naming it", async () => {
    // A second blob to damage: the same bytes plus one, so its hash differs and the intact one stays.
    async function* plusOne() {
      for await (const c of store.get(pushed.artifactHash ?? "")) yield c;
      yield new Uint8Array([0]);
    }
    const other = await store.put(plusOne(), { kind: "dataset", label: "to damage" });
    const row = await repos.artifacts.chunksOf(other.hash);
    await db.prisma.artifactChunk.update({ where: { artifactId_index: { artifactId: row?.id ?? "", index: 1 } }, data: { data: new Uint8Array(8192) } });
    const payload = await jobOn(await variant(other.hash));
    await expect(run(payload)).rejects.toMatchObject({ name: "PermanentFailureError" });
    const c = await repos.candidates.get(payload.candidateId);
    expect(c.state).toBe("failed");
    expect(c.error).toMatch(new RegExp(`ArtifactIntegrityError: artifact ${other.hash} failed its hash check`));
  });
});
