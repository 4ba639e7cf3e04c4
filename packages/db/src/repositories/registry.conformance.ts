// Campaigns, epochs, the model registry and API tokens, run once per backend
// (see registry.test.ts): the same assertions must hold on a PostgreSQL
// server and on embedded PGlite.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IllegalTransitionError, NotFoundError } from "../errors.js";
import { makeCampaign, type Backend, type TestDb } from "../testing.js";

/** Defines the registry suites against the database `backend` opens; call inside a describe. */
export function defineRegistryConformance(backend: Backend): void {
  let db: TestDb;
  beforeAll(async () => {
    db = await backend.open();
  });
  afterAll(() => db?.close());

  describe("campaigns", () => {
    it("run queued -> running -> completed and stay completed", async () => {
      const c = await makeCampaign(db.repos);
      expect((await db.repos.campaigns.start(c.id)).state).toBe("running");
      await db.repos.campaigns.saveEngineState(c.id, { generation: 1, rng: [1, 2, 3, 4] });
      expect((await db.repos.campaigns.get(c.id)).engineState).toEqual({ generation: 1, rng: [1, 2, 3, 4] });
      expect((await db.repos.campaigns.complete(c.id)).state).toBe("completed");
      await expect(db.repos.campaigns.cancel(c.id)).rejects.toBeInstanceOf(IllegalTransitionError);
      await expect(db.repos.campaigns.saveEngineState(c.id, {})).rejects.toBeInstanceOf(IllegalTransitionError);
      expect((await db.repos.campaigns.get(c.id)).engineState).toEqual({ generation: 1, rng: [1, 2, 3, 4] });
    });

    it("keep generations with their population slots", async () => {
      const c = await makeCampaign(db.repos);
      const a = await db.repos.candidates.create({ campaignId: c.id, chromosome: {}, hash: "a" });
      const b = await db.repos.candidates.create({ campaignId: c.id, chromosome: {}, hash: "b" });
      const g = await db.repos.campaigns.openGeneration(c.id, 0, [a.id, b.id, a.id]);
      const again = await db.repos.campaigns.openGeneration(c.id, 0, [a.id, b.id, a.id]);
      expect(again.id).toBe(g.id);
      expect(await db.prisma.generationMember.count({ where: { generationId: g.id } })).toBe(3);
      await db.repos.campaigns.closeGeneration(c.id, 0, { bestFitness: 1.5, meanFitness: 1, worstFitness: 0.5 });
      expect((await db.repos.campaigns.generations(c.id))[0]).toMatchObject({ index: 0, bestFitness: 1.5 });
    });

    it("give a candidate with its campaign's state in one read", async () => {
      const c = await makeCampaign(db.repos);
      const cand = await db.repos.candidates.create({ campaignId: c.id, chromosome: { l: 1 }, hash: "w" });
      expect(await db.repos.candidates.getWithCampaignState(cand.id)).toEqual({ candidate: cand, campaignState: "queued" });
      await db.repos.campaigns.start(c.id);
      expect((await db.repos.candidates.getWithCampaignState(cand.id)).campaignState).toBe("running");
    });

    it("lease to one coordinator at a time until it expires or is released", async () => {
      const c = await makeCampaign(db.repos);
      const t0 = new Date("2030-01-01T00:00:00Z");
      const at = (s: number) => new Date(t0.getTime() + s * 1000);
      expect(await db.repos.campaigns.acquireLease(c.id, "a", 30_000, t0)).toBe(true);
      expect(await db.repos.campaigns.acquireLease(c.id, "b", 30_000, at(10))).toBe(false);
      expect(await db.repos.campaigns.acquireLease(c.id, "a", 30_000, at(20))).toBe(true);
      expect((await db.repos.campaigns.runnable(at(40))).map((x) => x.id)).not.toContain(c.id);
      expect(await db.repos.campaigns.acquireLease(c.id, "b", 30_000, at(51))).toBe(true);
      await db.repos.campaigns.releaseLease(c.id, "a");
      expect((await db.repos.campaigns.get(c.id)).leaseOwner).toBe("b");
      await db.repos.campaigns.releaseLease(c.id, "b");
      expect(await db.repos.campaigns.acquireLease(c.id, "a", 30_000, at(52))).toBe(true);
      await db.repos.campaigns.start(c.id);
      await db.repos.campaigns.complete(c.id);
      expect(await db.repos.campaigns.acquireLease(c.id, "a", 30_000, at(53))).toBe(false);
    });
  });

  describe("epoch metrics", () => {
    it("are recorded while running, overwritten by a retry, refused after the end", async () => {
      const c = await makeCampaign(db.repos);
      const cand = await db.repos.candidates.create({ campaignId: c.id, chromosome: {}, hash: "e" });
      await expect(db.repos.epochs.record(cand.id, { epoch: 1, trainLoss: 1, valLoss: 1, valAccuracy: 0.1, seconds: 1 })).rejects.toBeInstanceOf(
        IllegalTransitionError,
      );
      await db.repos.candidates.start(cand.id);
      await db.repos.epochs.record(cand.id, { epoch: 1, trainLoss: 2, valLoss: 2, valAccuracy: 0.1, seconds: 1 });
      await db.repos.epochs.record(cand.id, { epoch: 1, trainLoss: 1.5, valLoss: 1.6, valAccuracy: 0.2, seconds: 1 });
      await db.repos.epochs.record(cand.id, { epoch: 2, trainLoss: 1, valLoss: 1.2, valAccuracy: 0.25, seconds: 1 });
      expect((await db.repos.epochs.list(cand.id)).map((e) => [e.epoch, e.valAccuracy])).toEqual([
        [1, 0.2],
        [2, 0.25],
      ]);
      await db.repos.candidates.complete(cand.id, { fitness: 1, accuracy: 0.25, loss: 1.2, converged: true, epochs: 2, trainSeconds: 2 });
      await expect(db.repos.epochs.record(cand.id, { epoch: 3, trainLoss: 1, valLoss: 1, valAccuracy: 1, seconds: 1 })).rejects.toBeInstanceOf(
        IllegalTransitionError,
      );
    });
  });

  describe("model registry", () => {
    it("numbers versions, promotes, rolls back, and keeps the history", async () => {
      const name = `m-${randomUUID()}`;
      const v1 = await db.repos.models.addVersion({ name, chromosome: { l: 2 }, fitness: 1.1, artifact: "/a/1" });
      const v2 = await db.repos.models.addVersion({ name, chromosome: { l: 3 }, fitness: 1.3, artifact: "/a/2" });
      expect([v1.version, v2.version]).toEqual([1, 2]);
      expect(await db.repos.models.live(name)).toBeNull();
      await db.repos.models.promote(v1.id, name);
      await db.repos.models.promote(v2.id, name);
      expect((await db.repos.models.live(name))?.version).toBe(2);
      await db.repos.models.rollback(name, 1);
      expect((await db.repos.models.live(name))?.version).toBe(1);
      expect((await db.repos.models.history(name)).map((p) => p.action)).toEqual(["promote", "promote", "rollback"]);
      await expect(db.repos.models.rollback(name, 7)).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe("API tokens", () => {
    it("store only a hash, verify the plaintext, and stop verifying once revoked", async () => {
      const { token, record } = await db.repos.tokens.create("ci", ["campaigns:write"]);
      expect(token).toMatch(/^drnn_/);
      const stored = await db.prisma.apiToken.findUniqueOrThrow({ where: { id: record.id } });
      expect(JSON.stringify(stored)).not.toContain(token.slice(10));
      expect((await db.repos.tokens.verify(token))?.id).toBe(record.id);
      expect(await db.repos.tokens.verify(`${token}x`)).toBeNull();
      await db.repos.tokens.revoke(record.id);
      expect(await db.repos.tokens.verify(token)).toBeNull();
    });
  });
}
