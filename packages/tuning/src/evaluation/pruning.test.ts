// Successive halving across candidates on the test run's PostgreSQL: the
// rule, a pruned campaign end to end (simulated trainer), and a re-run of a
// pruned candidate that must neither count twice nor change its verdict.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { FITNESS_POLICIES } from "@drnn/ga";
import { FITNESS_POLICY_NAMES } from "@drnn/model";
import { InProcessExecutor } from "../executors/in-process.js";
import { SimulatedTrainer } from "../trainers/simulated.js";
import { openTestEnv, SMALL_SPACE, type TestEnv } from "../testing.js";
import { campaignStatus, launchCampaign } from "../coordinator/campaigns.js";
import { runCampaign } from "../coordinator/run-campaign.js";
import { evaluateCandidate } from "./evaluate-candidate.js";
import { promotable } from "./pruning.js";

let env: TestEnv;
beforeAll(async () => {
  env = await openTestEnv(inject("databaseUrl"));
});
afterAll(() => env.close());

const worker = { id: "test-worker", backend: "simulated", device: "none" };

describe("successive halving", () => {
  it("names the same fitness policies in @drnn/ga's defaults and @drnn/model's rule", () => {
    expect([...FITNESS_POLICIES].sort()).toEqual([...FITNESS_POLICY_NAMES].sort());
  });

  it("promotes the top 1/eta of a rung, and only the best while fewer than eta reached it (Optuna's rule)", () => {
    expect(promotable(0.5, [], 3)).toBe(true);
    expect(promotable(0.4, [0.5], 3)).toBe(false);
    expect(promotable(0.6, [0.5, 0.1], 3)).toBe(true);
    const five = [0.9, 0.8, 0.3, 0.2, 0.1];
    expect(promotable(0.85, five, 3)).toBe(true); // 6 at the rung: the top 2 go on
    expect(promotable(0.5, five, 3)).toBe(false);
  });

  it("prunes a campaign's weaker candidates at their rung, one rung row per candidate and rung", async () => {
    const campaign = await launchCampaign(env.repos, {
      datasetId: env.datasetId,
      strategy: "random",
      seed: 3n,
      budget: 9,
      searchSpace: SMALL_SPACE,
      settings: { ga: { populationSize: 9, generations: 0 }, training: { maxEpochs: 4, pruning: { eta: 3, minEpochs: 1 } } },
    });
    expect(campaign).toMatchObject({ fitnessPolicy: "patience", pruning: true });
    const trainer = new SimulatedTrainer({ epochMs: 1, epochs: 4 });
    const ex = new InProcessExecutor({ deps: { repos: env.repos, trainer, worker }, concurrency: 1, attempts: 1 });
    expect(await runCampaign(campaign.id, { repos: env.repos, executor: ex, pollMs: 20 })).toBe("completed");
    await ex.close();

    const status = await campaignStatus(env.repos, campaign.id);
    const pruned = status.candidates.filter((c) => c.stopReason === "pruned");
    const full = status.candidates.filter((c) => c.stopReason !== "pruned");
    expect(pruned.length).toBeGreaterThan(0);
    expect(full.length).toBeGreaterThan(0);
    // Rungs 1 and 3 (below R = 4): a pruned candidate stops at its rung with its rung's fitness.
    for (const c of pruned) {
      expect([1, 3]).toContain(c.rung);
      expect(c.epochs).toBe(c.rung);
      expect(c.fitness).toBeGreaterThan(0);
    }
    for (const c of full) expect(c.epochs).toBe(4);
    const rows = await env.repos.rungs.listByCampaign(campaign.id);
    expect(new Set(rows.map((r) => `${r.candidateId}:${r.rung}`)).size).toBe(rows.length);
    expect(rows.filter((r) => r.rung === 1)).toHaveLength(9);

  });

  it("replays a rung's verdict when a candidate's job runs again after its worker died, writing no second row", async () => {
    const campaign = await launchCampaign(env.repos, { datasetId: env.datasetId, strategy: "random", seed: 4n, budget: 8, searchSpace: SMALL_SPACE });
    await env.repos.campaigns.start(campaign.id);
    const make = (hash: string) => env.repos.candidates.create({ campaignId: campaign.id, chromosome: {}, hash });
    // Two stronger candidates already at rung 1: the victim, arriving third, is below the top 1/3.
    for (const [hash, fitness] of [["a", 1.4], ["b", 1.3]] as const) {
      const c = await make(hash);
      await env.repos.rungs.recordOnce({ campaignId: campaign.id, candidateId: c.id, rung: 1, fitness, promoted: true });
    }
    const victim = await make("victim");
    const payload = {
      campaignId: campaign.id, candidateId: victim.id, hash: victim.hash, chromosome: {},
      dataset: { id: env.datasetId, contentHash: "x", location: "/nowhere" },
      training: { policy: "patience" as const, maxEpochs: 4, pi: 0.01, patience: 2, unsettledFitness: 0, pruning: { eta: 3, minEpochs: 1 }, seed: 1 },
    };
    const inner = new SimulatedTrainer({ epochMs: 1, epochs: 4 });
    // First delivery: the worker dies right after its rung-1 verdict (the trainer throws there).
    const dying = { ...inner, backend: "simulated", device: "none", close: async () => undefined,
      train: (r: Parameters<SimulatedTrainer["train"]>[0]) => inner.train({ ...r, onEpoch: async (e) => { await r.onEpoch(e); throw new Error("worker killed"); } }) };
    await expect(evaluateCandidate(payload, { repos: env.repos, trainer: dying, worker }, { number: 1, final: false })).rejects.toThrow("worker killed");
    const first = await env.repos.rungs.find(victim.id, 1);
    expect(first).toMatchObject({ promoted: false });
    // Meanwhile weaker candidates reach rung 1: a fresh decision would now promote the victim.
    for (const hash of ["c", "d", "e", "f"]) {
      const c = await make(hash);
      await env.repos.rungs.recordOnce({ campaignId: campaign.id, candidateId: c.id, rung: 1, fitness: 0.1, promoted: false });
    }
    const outcome = await evaluateCandidate(payload, { repos: env.repos, trainer: inner, worker }, { number: 2, final: true });
    expect(outcome.kind).toBe("completed");
    expect(await env.repos.candidates.get(victim.id)).toMatchObject({ state: "completed", stopReason: "pruned", rung: 1, epochs: 1, attempts: 2 });
    expect((await env.repos.rungs.listByCampaign(campaign.id)).filter((r) => r.candidateId === victim.id)).toEqual([first]);
  });
});
