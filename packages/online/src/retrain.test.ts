// The retraining job against the real PostgreSQL: a batch is decided once,
// with its lineage; one model name never retrains twice at once; a batch left
// "training" by a dead retrain runs again.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { shopSessions } from "@drnn/data";
import { acquireNamedLock, createDb, createRepositories, type DbHandle, type Repositories } from "@drnn/db";
import { selectBackend } from "@drnn/model";
import { rollbackModel } from "@drnn/serving";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { retrainBatch, type RetrainDeps } from "./retrain.js";
import { ONLINE_DEFAULTS } from "./settings.js";
import { onlineStatus } from "./status.js";
import { EPOCHS, firstVersion, storeAndCut } from "./testing.js";

let db: DbHandle;
let repos: Repositories;
const artifactsDir = mkdtempSync(join(tmpdir(), "drnn-online-"));

beforeAll(async () => {
  await selectBackend("wasm");
  db = createDb(inject("databaseUrl"));
  repos = createRepositories(db.prisma);
});
afterAll(() => db?.close());

function deps(log: string[] = []): RetrainDeps {
  const url = inject("databaseUrl");
  return {
    repos,
    artifactsDir,
    lock: (name) => acquireNamedLock(url, ONLINE_DEFAULTS.lockScope, name, { pollMs: 20 }),
    versionDir: (v) => Promise.resolve(v.artifact),
    fineTune: { rule: EPOCHS(6) },
    log: (line) => log.push(`${Date.now()} ${line}`),
  };
}

describe("retrainBatch", () => {
  it("fine-tunes the live version, promotes a better candidate with its lineage, and skips a decided batch", async () => {
    const name = `m-${randomUUID()}`;
    const first = await firstVersion(repos, name, artifactsDir);
    const [batch] = await storeAndCut(repos, name, shopSessions(2, 120, { from: 2, to: 6 }, 1000), 120);
    if (!batch) throw new Error("no batch");
    const r = await retrainBatch(deps(), { batchId: batch.id, modelName: name });
    if (r.kind !== "decided") throw new Error("not decided");
    const d = r.decision;
    expect(d).toMatchObject({ outcome: "promoted", parentVersion: first.version.version, batchIds: [batch.id], sessionCount: 120, metric: "hit1", margin: ONLINE_DEFAULTS.margin });
    expect((d.candidateMetrics as { hit1: number }).hit1).toBeGreaterThan((d.liveMetrics as { hit1: number }).hit1);
    expect(d.details).toMatchObject({ growth: { addedGeneratorItems: 2 }, prequential: { liveVersion: 1, firstVersion: 1 } });
    expect((await repos.models.live(name))?.version).toBe(2);
    expect(await repos.onlineBatches.get(batch.id)).toMatchObject({ state: "decided" });
    expect(await retrainBatch(deps(), { batchId: batch.id, modelName: name })).toMatchObject({ kind: "skipped", state: "decided" });
    expect(await repos.decisions.list(name)).toHaveLength(1);
    const status = await onlineStatus(repos, name);
    expect(status).toMatchObject({ liveVersion: 2, firstVersion: 1, batches: [{ seq: 1, state: "decided" }], decisions: [{ batchSeq: 1, outcome: "promoted", candidateVersion: 2, parentVersion: 1 }] });
    // Batch 1 is scored before any training on it, by version 1 both live and frozen: no gain yet.
    expect(status.accuracy).toHaveLength(1);
    expect(status.accuracy[0]?.live).toEqual(status.accuracy[0]?.frozen);
    expect(status.meanGain).toBe(0);
    // S-POP, the bar, is scored on the same samples of the batch.
    expect(status.accuracy[0]?.spop?.samples).toBe(status.accuracy[0]?.live.samples);
    expect(status.accuracy[0]?.spop?.hit1).toBeGreaterThan(0);
  });

  it("never runs two retrains of one name at once; the second learns from the first's version", async () => {
    const name = `m-${randomUUID()}`;
    await firstVersion(repos, name, artifactsDir);
    const [a, b] = await storeAndCut(repos, name, shopSessions(3, 160, { from: 2, to: 6 }, 1000), 80);
    if (!a || !b) throw new Error("no batches");
    const log: string[] = [];
    const outcomes = await Promise.all([retrainBatch(deps(log), { batchId: a.id, modelName: name }), retrainBatch(deps(log), { batchId: b.id, modelName: name })]);
    expect(outcomes.map((o) => o.kind)).toEqual(["decided", "decided"]);
    // Each retrain logs "scoring" first and "decided" last: the two spans do not interleave.
    const spans = [a.id, b.id].map((id) => {
      const times = log.filter((l) => l.includes(id) && (l.includes("scoring") || l.includes("decided:"))).map((l) => Number(l.split(" ")[0]));
      expect(times).toHaveLength(2);
      return { from: Math.min(...times), to: Math.max(...times) };
    });
    const [first, second] = [...spans].sort((x, y) => x.from - y.from);
    expect(first?.to).toBeLessThanOrEqual(second?.from ?? 0);
    const decisions = await repos.decisions.list(name);
    expect(decisions).toHaveLength(2);
    const [d1, d2] = decisions;
    if (d1?.outcome === "promoted") expect(d2?.parentVersion).toBe(d1.candidateVersion.version);
    if (d1?.outcome === "promoted") expect(d2?.batchIds).toEqual([d1.batchId, d2?.batchId]);
  });

  it("a rollback is followed: the next batch fine-tunes from the version rolled back to", async () => {
    const name = `m-${randomUUID()}`;
    await firstVersion(repos, name, artifactsDir);
    const [a, b] = await storeAndCut(repos, name, shopSessions(5, 160, { from: 0, to: 6 }, 1000), 80);
    if (!a || !b) throw new Error("no batches");
    const first = await retrainBatch(deps(), { batchId: a.id, modelName: name });
    expect(first).toMatchObject({ kind: "decided", decision: { outcome: "promoted", candidateVersion: { version: 2 } } });
    await rollbackModel(repos, { name, toVersion: 1, actor: "test" });
    const second = await retrainBatch(deps(), { batchId: b.id, modelName: name });
    if (second.kind !== "decided") throw new Error("not decided");
    expect(second.decision).toMatchObject({ parentVersion: 1, batchIds: [b.id], sessionCount: 80, candidateVersion: { version: 3 } });
  });

  it("a batch left training by a retrain that died runs again and is decided once", async () => {
    const name = `m-${randomUUID()}`;
    await firstVersion(repos, name, artifactsDir);
    const [batch] = await storeAndCut(repos, name, shopSessions(4, 60, { from: 0, to: 5 }, 1000), 60);
    if (!batch) throw new Error("no batch");
    await repos.onlineBatches.startTraining(batch.id);
    const log: string[] = [];
    const r = await retrainBatch(deps(log), { batchId: batch.id, modelName: name });
    expect(r.kind).toBe("decided");
    expect(log.some((l) => l.includes("left training"))).toBe(true);
    expect(await repos.decisions.list(name)).toHaveLength(1);
  });
});
