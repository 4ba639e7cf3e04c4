// Pruning rungs on both backends: the test run's PostgreSQL server and
// embedded PGlite. The first write of (candidate, rung) stands.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { makeCampaign, testBackends, type TestDb } from "../testing.js";

for (const backend of testBackends(inject("databaseUrl"))) {
  describe(`${backend.name}: pruning rungs`, () => {
    let db: TestDb;
    beforeAll(async () => {
      db = await backend.open();
    });
    afterAll(() => db?.close());

    it("keeps the first verdict of a candidate at a rung and lists the others' fitness", async () => {
      const campaign = await makeCampaign(db.repos);
      const make = () => db.repos.candidates.create({ campaignId: campaign.id, chromosome: {}, hash: randomUUID() });
      const [a, b] = [await make(), await make()];
      const first = await db.repos.rungs.recordOnce({ campaignId: campaign.id, candidateId: a.id, rung: 1, fitness: 0.5, promoted: true });
      const again = await db.repos.rungs.recordOnce({ campaignId: campaign.id, candidateId: a.id, rung: 1, fitness: 0.1, promoted: false });
      expect(again).toEqual(first);
      expect(again).toMatchObject({ fitness: 0.5, promoted: true });
      await db.repos.rungs.recordOnce({ campaignId: campaign.id, candidateId: b.id, rung: 1, fitness: 0.7, promoted: true });
      await db.repos.rungs.recordOnce({ campaignId: campaign.id, candidateId: b.id, rung: 3, fitness: 0.8, promoted: false });
      expect(await db.repos.rungs.competitors(campaign.id, 1, b.id)).toEqual([0.5]);
      expect((await db.repos.rungs.competitors(campaign.id, 1, randomUUID())).sort()).toEqual([0.5, 0.7]);
      expect(await db.repos.rungs.find(a.id, 3)).toBeNull();
      expect((await db.repos.rungs.listByCampaign(campaign.id)).map((r) => [r.rung, r.fitness])).toEqual([[1, 0.5], [1, 0.7], [3, 0.8]]);
    });
  });
}
