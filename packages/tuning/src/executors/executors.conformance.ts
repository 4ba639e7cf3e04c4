// The contract every FitnessExecutor keeps, run against each backend:
// a submitted evaluation ends with exactly one result in the database; a
// re-submitted one is not trained twice; a flaky trainer is retried; a
// trainer that always fails leaves the candidate failed with its reason.
import { InvalidChromosomeError, isFinished } from "@drnn/contract";
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Trainer } from "../trainer.js";
import type { FitnessExecutor } from "./executor.js";
import { FlakyTrainer, payloadFor, until, type TestEnv } from "../testing.js";

export type ExecutorFactory = (env: TestEnv, trainer: Trainer, attempts: number) => Promise<FitnessExecutor>;

export function executorConformance(name: string, envOf: () => TestEnv, make: ExecutorFactory): void {
  describe(`${name} executor conformance`, () => {
    async function campaignWith(env: TestEnv, hashes: string[]) {
      const campaign = await env.repos.campaigns.create({
        datasetId: env.datasetId,
        strategy: "random",
        searchSpace: {},
        gaSettings: {},
        seed: 1n,
        budget: 10,
      });
      await env.repos.campaigns.start(campaign.id);
      const candidates = [];
      for (const hash of hashes) candidates.push(await env.repos.candidates.create({ campaignId: campaign.id, chromosome: {}, hash }));
      return { campaign, candidates };
    }

    const finished = (env: TestEnv, ids: string[]) => async () =>
      (await Promise.all(ids.map((id) => env.repos.candidates.get(id)))).every((c) => isFinished(c.state));

    it("evaluates each submitted candidate exactly once, even when submitted twice", async () => {
      const env = envOf();
      const trainer = new FlakyTrainer(0);
      const executor = await make(env, trainer, 3);
      try {
        const hashes = [randomUUID(), randomUUID(), randomUUID()];
        const { campaign, candidates } = await campaignWith(env, hashes);
        for (const c of candidates) {
          await executor.submit(payloadFor(env, campaign.id, c.id, c.hash));
          await executor.submit(payloadFor(env, campaign.id, c.id, c.hash));
        }
        await until(finished(env, candidates.map((c) => c.id)));
        for (const c of candidates) {
          const row = await env.repos.candidates.get(c.id);
          expect(row).toMatchObject({ state: "completed", attempts: 1, backend: "simulated" });
          expect(await env.repos.epochs.list(c.id)).toHaveLength(2);
          expect(trainer.calls.get(c.hash)).toBe(1);
        }
      } finally {
        await executor.close();
      }
    });

    it("retries a failing evaluation and records the attempts", async () => {
      const env = envOf();
      const trainer = new FlakyTrainer(2);
      const executor = await make(env, trainer, 3);
      try {
        const { campaign, candidates } = await campaignWith(env, [randomUUID()]);
        const c = candidates[0]!;
        await executor.submit(payloadFor(env, campaign.id, c.id, c.hash));
        await until(finished(env, [c.id]), 40_000);
        expect(await env.repos.candidates.get(c.id)).toMatchObject({ state: "completed", attempts: 3 });
      } finally {
        await executor.close();
      }
    }, 60_000);

    it("fails a candidate whose every attempt fails, with the reason", async () => {
      const env = envOf();
      const executor = await make(env, new FlakyTrainer(99), 2);
      try {
        const { campaign, candidates } = await campaignWith(env, [randomUUID()]);
        const c = candidates[0]!;
        await executor.submit(payloadFor(env, campaign.id, c.id, c.hash));
        await until(finished(env, [c.id]), 40_000);
        const row = await env.repos.candidates.get(c.id);
        expect(row).toMatchObject({ state: "failed", attempts: 2, fitness: 0 });
        expect(row.error).toMatch(/flaky failure 2/);
      } finally {
        await executor.close();
      }
    }, 60_000);

    it("fails at once, without retries, an evaluation that no retry can fix", async () => {
      const env = envOf();
      const trainer = new FlakyTrainer(99, (n) => new InvalidChromosomeError([{ gene: "w", value: n, allowed: "flaky failure" }]));
      const executor = await make(env, trainer, 3);
      try {
        const { campaign, candidates } = await campaignWith(env, [randomUUID()]);
        const c = candidates[0]!;
        const payload = payloadFor(env, campaign.id, c.id, c.hash);
        await executor.submit(payload);
        await until(finished(env, [c.id]), 40_000);
        const row = await env.repos.candidates.get(c.id);
        expect(row).toMatchObject({ state: "failed", attempts: 1 });
        expect(row.error).toMatch(/InvalidChromosomeError: invalid chromosome: w = 1, allowed: flaky failure/);
        expect(trainer.calls.get(c.hash)).toBe(1);
        await expect.poll(() => executor.status(payload)).toMatchObject({ state: "failed", retryable: false });
      } finally {
        await executor.close();
      }
    }, 60_000);
  });
}
