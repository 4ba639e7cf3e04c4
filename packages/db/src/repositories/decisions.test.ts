// Guarded promotion's record on both backends: the version, its promotion,
// the decision and the batch's "decided" are one transaction, once per batch.
// And the per-name lock (PostgreSQL only: it needs a server connection).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { acquireNamedLock } from "../locks.js";
import { testBackends, type TestDb } from "../testing.js";
import type { NewDecision } from "./decisions.js";

const T0 = Date.parse("2024-03-01T10:00:00Z");

async function trainingBatch(db: TestDb, model: string): Promise<string> {
  for (let i = 0; i < 2; i++) {
    const at = new Date(T0 + i * 60_000);
    await db.repos.ingest.commit({ source: `s-${model}`, position: BigInt(i + 1), closed: [{ modelName: model, sourceKey: `k${i}`, records: [], firstEventAt: at, lastEventAt: at, hasPurchase: true }], open: [], removedOpenKeys: [] });
  }
  const [batch] = await db.repos.onlineBatches.cutReady(model, 2);
  if (!batch) throw new Error("no batch");
  await db.repos.onlineBatches.startTraining(batch.id);
  return batch.id;
}

function decision(model: string, batchId: string, outcome: "promoted" | "kept"): NewDecision {
  return {
    modelName: model, batchId, version: { chromosome: {}, fitness: 0.5, artifact: "/tmp/x" }, parentVersionId: null, parentVersion: null, batchIds: [batchId], sessionCount: 2,
    outcome, reason: "test", metric: "hit1", margin: 0.01, candidateMetrics: { accuracy: 0.5 }, liveMetrics: { accuracy: 0.4 }, details: {},
  };
}

for (const backend of testBackends(inject("databaseUrl"))) {
  describe(`${backend.name}: model decisions`, () => {
    let db: TestDb;
    beforeAll(async () => {
      db = await backend.open();
    });
    afterAll(() => db?.close());

    it("a promoted candidate becomes the name's next version and goes live; the batch is decided", async () => {
      const model = `m-${randomUUID()}`;
      const batchId = await trainingBatch(db, model);
      const d = await db.repos.decisions.record(decision(model, batchId, "promoted"));
      expect(d.candidateVersion.version).toBe(1);
      expect((await db.repos.models.live(model))?.id).toBe(d.candidateVersionId);
      expect(await db.repos.onlineBatches.get(batchId)).toMatchObject({ state: "decided" });
      expect((await db.repos.decisions.list(model)).map((x) => x.outcome)).toEqual(["promoted"]);
    });

    it("a kept candidate is registered but not live; a second decision for the batch writes nothing", async () => {
      const model = `m-${randomUUID()}`;
      const batchId = await trainingBatch(db, model);
      await db.repos.decisions.record(decision(model, batchId, "kept"));
      expect(await db.repos.models.live(model)).toBeNull();
      await expect(db.repos.decisions.record(decision(model, batchId, "promoted"))).rejects.toThrow();
      expect(await db.repos.models.versions(model)).toHaveLength(1);
      expect(await db.repos.models.live(model)).toBeNull();
    });

    it("a batch not in training cannot be decided, and nothing of the decision stays", async () => {
      const model = `m-${randomUUID()}`;
      const batchId = await trainingBatch(db, model);
      await db.repos.onlineBatches.requeue(batchId);
      await expect(db.repos.decisions.record(decision(model, batchId, "promoted"))).rejects.toMatchObject({ name: "IllegalTransitionError" });
      expect(await db.repos.models.versions(model)).toHaveLength(0);
      expect(await db.repos.decisions.forBatch(batchId)).toBeNull();
    });
  });
}

describe("named lock", () => {
  const url = inject("databaseUrl");
  it("one holder per name; the next waits until it is released, other names do not", async () => {
    const name = randomUUID();
    const first = await acquireNamedLock(url, "test", name);
    let second = false;
    const waiting = acquireNamedLock(url, "test", name, { pollMs: 20 }).then((l) => {
      second = true;
      return l;
    });
    const other = await acquireNamedLock(url, "test", `${name}-other`);
    await new Promise((r) => setTimeout(r, 150));
    expect(second).toBe(false);
    await first.release();
    await (await waiting).release();
    expect(second).toBe(true);
    await other.release();
  });

  it("a waiter gives up when its signal aborts", async () => {
    const name = randomUUID();
    const held = await acquireNamedLock(url, "test", name);
    const abort = new AbortController();
    const waiting = acquireNamedLock(url, "test", name, { pollMs: 20, signal: abort.signal });
    abort.abort(new Error("stop waiting"));
    await expect(waiting).rejects.toThrow("stop waiting");
    await held.release();
  });
});
