// The online store on both backends: commits of closed sessions with their
// cursor, open sessions kept across commits, batches cut once each, and the
// batch state machine.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { IllegalTransitionError } from "../errors.js";
import { testBackends, type TestDb } from "../testing.js";
import type { ClosedSessionInput } from "./online.js";

const T0 = Date.parse("2024-03-01T10:00:00Z");

function closed(modelName: string, key: string, minute: number, hasPurchase: boolean): ClosedSessionInput {
  const at = new Date(T0 + minute * 60_000);
  return { modelName, sourceKey: key, records: [{ sessionId: key, timestamp: at.getTime(), page: "p", event: "view" }], firstEventAt: at, lastEventAt: at, hasPurchase };
}

for (const backend of testBackends(inject("databaseUrl"))) {
  describe(`${backend.name}: online sessions, cursors and batches`, () => {
    let db: TestDb;
    beforeAll(async () => {
      db = await backend.open();
    });
    afterAll(() => db?.close());

    it("stores closed sessions with the cursor in one commit; a replayed commit stores nothing twice", async () => {
      const model = `m-${randomUUID()}`;
      const source = `/logs/${randomUUID()}.jsonl`;
      expect(await db.repos.ingest.cursor(source)).toBeNull();
      const sessions = [closed(model, "a", 0, true), closed(model, "b", 1, false)];
      const open = [{ key: "s:c", records: [{ sessionId: "c" }], firstEventAt: new Date(T0), lastEventAt: new Date(T0 + 1) }];
      expect(await db.repos.ingest.commit({ source, position: 120n, lines: 3n, watermark: new Date(T0 + 60_000), closed: sessions, open, removedOpenKeys: [] })).toEqual({ stored: 2, storedPurchase: 1 });
      expect(await db.repos.ingest.cursor(source)).toMatchObject({ position: 120n, lines: 3n, watermark: new Date(T0 + 60_000) });
      expect((await db.repos.ingest.openSessions(source)).map((o) => o.key)).toEqual(["s:c"]);
      // The same sessions again (a restart that re-read them): skipped, the cursor still moves.
      expect(await db.repos.ingest.commit({ source, position: 200n, closed: [...sessions, closed(model, "c", 2, true)], open: [], removedOpenKeys: ["s:c"] })).toEqual({ stored: 1, storedPurchase: 1 });
      expect((await db.repos.ingest.cursor(source))?.position).toBe(200n);
      expect(await db.repos.ingest.openSessions(source)).toEqual([]);
      expect(await db.repos.onlineSessions.counts(model)).toEqual({ sessions: 3, purchaseSessions: 2, waiting: 2 });
    });

    it("cuts batches of M purchase sessions, oldest first, each session in one batch only", async () => {
      const model = `m-${randomUUID()}`;
      const source = `api-${randomUUID()}`;
      const sessions = Array.from({ length: 7 }, (_, i) => closed(model, `s${i}`, 10 - i, i !== 3));
      await db.repos.ingest.commit({ source, position: 7n, closed: sessions, open: [], removedOpenKeys: [] });
      // Two cutters racing over the same six purchase sessions: three batches in all, not six.
      const [x, y] = await Promise.all([db.repos.onlineBatches.cutReady(model, 2), db.repos.onlineBatches.cutReady(model, 2)]);
      const batches = [...x, ...y].sort((a, b) => a.seq - b.seq);
      expect(batches.map((b) => [b.seq, b.state, b.sessionCount])).toEqual([[1, "queued", 2], [2, "queued", 2], [3, "queued", 2]]);
      expect(await db.repos.onlineBatches.cutReady(model, 2)).toEqual([]);
      const first = await db.repos.onlineSessions.ofBatch(batches[0]?.id ?? "");
      // The oldest purchase sessions: s6 (minute 4) and s5 (minute 5); s3 has no purchase.
      expect(first.map((s) => s.sourceKey)).toEqual(["s6", "s5"]);
      const all = await db.repos.onlineSessions.list(model);
      expect(all.filter((s) => s.batchId === null).map((s) => s.sourceKey)).toEqual(["s3"]);
      expect(await db.repos.onlineSessions.counts(model)).toMatchObject({ waiting: 0 });
    });

    it("walks a batch through queued -> training -> decided once; a killed run goes back to queued", async () => {
      const model = `m-${randomUUID()}`;
      await db.repos.ingest.commit({ source: `api-${randomUUID()}`, position: 1n, closed: [closed(model, "only", 0, true)], open: [], removedOpenKeys: [] });
      const [batch] = await db.repos.onlineBatches.cutReady(model, 1);
      if (!batch) throw new Error("no batch cut");
      expect((await db.repos.onlineBatches.inState("queued")).map((b) => b.id)).toContain(batch.id);
      await db.repos.onlineBatches.startTraining(batch.id);
      await expect(db.repos.onlineBatches.startTraining(batch.id)).rejects.toBeInstanceOf(IllegalTransitionError);
      await db.repos.onlineBatches.requeue(batch.id);
      await db.repos.onlineBatches.startTraining(batch.id);
      const decided = await db.repos.onlineBatches.decide(batch.id);
      expect(decided.state).toBe("decided");
      expect(decided.decidedAt).toBeInstanceOf(Date);
      await expect(db.repos.onlineBatches.requeue(batch.id)).rejects.toBeInstanceOf(IllegalTransitionError);
      expect((await db.repos.onlineBatches.list(model)).map((b) => b.state)).toEqual(["decided"]);
    });
  });
}
