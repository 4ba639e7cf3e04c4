// Promotion on a real (synthetic) prepared dataset and PostgreSQL: the best
// completed candidate's saved weights, or a retrain on train+val when the
// campaign kept none; test metrics, dataset hash and actor recorded; rollback.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { loadDataset, prepareDataset, writeSyntheticLog, type Dataset } from "@drnn/data";
import { createDb, createRepositories, type DbHandle, type Repositories } from "@drnn/db";
import { DrnnModel, dimsFor, saveModel, selectBackend, vocabulariesOf, type ChromosomeInput } from "@drnn/model";
import { promoteCampaign, rollbackModel } from "./promote.js";
import { SERVING_FILE, ServingModel } from "./serving-model.js";
import { NothingToPromoteError } from "./errors.js";

const SMALL: ChromosomeInput = { w: 2, l: 1, h: 1, neurons: [8], learningRate: 0.01, optimizer: "adam", activation: "relu", loss: "softmax", batchSize: 64, init: "xavier", history: true, fnnLayers: 1, fnnNeurons: 8, dropout: 0, pointer: false };

let db: DbHandle;
let repos: Repositories;
let dir: string;
let d: Dataset;
let datasetId: string;

beforeAll(async () => {
  // The fused wasm kernels, as a worker trains: the retraining case on TF.js's default backend ran past its timeout on a busy machine.
  await selectBackend("wasm");
  db = createDb(inject("databaseUrl"), { maxConnections: 4 });
  repos = createRepositories(db.prisma);
  dir = mkdtempSync(join(tmpdir(), "drnn-promote-"));
  await writeSyntheticLog(join(dir, "log.jsonl"), { sessions: 300, seed: 5 });
  await prepareDataset({ format: "jsonl", input: join(dir, "log.jsonl"), out: join(dir, "ds") });
  d = loadDataset(join(dir, "ds"));
  const row = await repos.datasets.register({ name: "synth", format: "jsonl", contentHash: d.manifest.contentHash, location: join(dir, "ds"), stats: {} });
  datasetId = row.id;
}, 60_000);

afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function campaignWith(candidates: { fitness: number; artifact: boolean; hash: string }[]): Promise<string> {
  const campaign = await repos.campaigns.create({ datasetId, strategy: "random", searchSpace: {}, gaSettings: { training: { maxEpochs: 2, pi: 0.5 } }, seed: 3n, budget: 4 });
  for (const c of candidates) {
    const row = await repos.candidates.create({ campaignId: campaign.id, chromosome: SMALL, hash: c.hash });
    await repos.candidates.start(row.id);
    let artifact: string | undefined;
    if (c.artifact) {
      artifact = join(dir, "candidates", campaign.id, c.hash);
      const m = DrnnModel.create(SMALL, dimsFor(d), 1);
      await saveModel(m, artifact, { vocabularies: vocabulariesOf(d), dataset: d });
      m.dispose();
    }
    await repos.candidates.complete(row.id, { fitness: c.fitness, accuracy: c.fitness / 2, loss: 1, converged: true, epochs: 2, trainSeconds: 1, ...(artifact ? { artifact } : {}) });
  }
  return campaign.id;
}

describe("promoteCampaign", () => {
  it("registers the best candidate's saved model as a new version, moves production, and rolls back", async () => {
    const campaignId = await campaignWith([
      { fitness: 0.4, artifact: true, hash: "aaa" },
      { fitness: 0.9, artifact: true, hash: "bbb" },
    ]);
    const name = `promo-${Date.now()}`;
    const first = await promoteCampaign(repos, { campaignId, name, actor: "ci", artifactsDir: join(dir, "store") });
    expect(first).toMatchObject({ name, alias: "production", version: 1, fitness: 0.9, candidateHash: "bbb", origin: "artifact", datasetHash: d.manifest.contentHash, actor: "ci", previousVersion: null });
    expect(first.test.accuracy).toBeGreaterThanOrEqual(0);
    expect(existsSync(join(first.artifact, SERVING_FILE))).toBe(true);
    const row = await repos.models.version(name, 1);
    expect(row.metrics).toMatchObject({ datasetHash: d.manifest.contentHash, promotedBy: "ci", origin: "artifact" });
    const served = await ServingModel.load(first.artifact, { id: row.id, name, version: 1 });
    expect(served.popularity.length).toBeGreaterThan(0);
    served.retire();

    const second = await promoteCampaign(repos, { campaignId, name, actor: "ci", artifactsDir: join(dir, "store") });
    expect(second).toMatchObject({ version: 2, previousVersion: 1 });
    expect(second.artifact).not.toBe(first.artifact);
    expect((await repos.models.live(name))?.version).toBe(2);
    const back = await rollbackModel(repos, { name, toVersion: 1, actor: "ops" });
    expect(back).toMatchObject({ name, version: 1, previousVersion: 2, actor: "ops" });
    expect((await repos.models.live(name))?.version).toBe(1);
  });

  it("retrains on train+validation when the campaign kept no weights, and says so", async () => {
    const campaignId = await campaignWith([{ fitness: 0.5, artifact: false, hash: "ccc" }]);
    const lines: string[] = [];
    const r = await promoteCampaign(repos, { campaignId, name: `retrain-${Date.now()}`, artifactsDir: join(dir, "store"), onProgress: (l) => lines.push(l) });
    expect(r.origin).toBe("retrained");
    expect(r.note).toContain("retrained on train+validation");
    expect(lines.join("\n")).toContain("no saved weights");
    expect(existsSync(join(r.artifact, "model.json"))).toBe(true);
  });

  it("refuses a campaign without a completed candidate", async () => {
    const campaignId = await campaignWith([]);
    await expect(promoteCampaign(repos, { campaignId, artifactsDir: join(dir, "store") })).rejects.toBeInstanceOf(NothingToPromoteError);
  });
});
