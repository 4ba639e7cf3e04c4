import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { InProcessExecutor } from "../executors/in-process.js";
import { SimulatedTrainer } from "../trainers/simulated.js";
import { openTestEnv, SMALL_SPACE, until, type TestEnv } from "../testing.js";
import { campaignStatus, cancelCampaign, launchCampaign } from "./campaigns.js";
import { runCampaign } from "./run-campaign.js";

let env: TestEnv;
beforeAll(async () => {
  env = await openTestEnv(inject("databaseUrl"));
});
afterAll(() => env.close());

const worker = { id: "test-worker", backend: "simulated", device: "none" };

function executor(trainer = new SimulatedTrainer({ epochMs: 1, epochs: 2 })) {
  return new InProcessExecutor({ deps: { repos: env.repos, trainer, worker }, concurrency: 3, attempts: 2 });
}

async function launch(seed: bigint, strategy: "elitist" | "paper" | "random" = "elitist", budget = 12) {
  return launchCampaign(env.repos, {
    datasetId: env.datasetId,
    strategy,
    seed,
    budget,
    searchSpace: SMALL_SPACE,
    settings: { ga: { populationSize: 4, generations: 5 }, training: { maxEpochs: 2, pi: 0.01 } },
  });
}

async function evaluatedHashes(campaignId: string): Promise<string[]> {
  const rows = await env.repos.candidates.listByCampaign(campaignId);
  return rows.map((r) => r.hash).sort();
}

describe("runCampaign", () => {
  it("completes a campaign, evaluating each chromosome once, with generations recorded", async () => {
    const campaign = await launch(7n);
    const ex = executor();
    const outcome = await runCampaign(campaign.id, { repos: env.repos, executor: ex, pollMs: 20 });
    await ex.close();
    expect(outcome).toBe("completed");
    const status = await campaignStatus(env.repos, campaign.id);
    expect(status.state).toBe("completed");
    expect(status.candidates.length).toBeLessThanOrEqual(12);
    expect(status.candidates.length).toBeGreaterThanOrEqual(4);
    expect(status.candidates.every((c) => c.state === "completed" && c.attempts === 1)).toBe(true);
    expect(new Set(status.candidates.map((c) => c.hash)).size).toBe(status.candidates.length);
    expect(status.best?.fitness).toBe(Math.max(...status.candidates.map((c) => c.fitness ?? 0)));
    const generations = await env.repos.campaigns.generations(campaign.id);
    expect(generations.length).toBeGreaterThanOrEqual(2);
    for (const g of generations.filter((x) => x.completedAt)) {
      expect(g.bestFitness).toBeGreaterThanOrEqual(g.meanFitness ?? 0);
      expect(g.meanFitness).toBeGreaterThanOrEqual(g.worstFitness ?? 0);
    }
  });

  it("replays the same chromosomes for the same seed", async () => {
    const a = await launch(99n);
    const b = await launch(99n);
    for (const c of [a, b]) {
      const ex = executor();
      await runCampaign(c.id, { repos: env.repos, executor: ex, pollMs: 20 });
      await ex.close();
    }
    expect(await evaluatedHashes(a.id)).toEqual(await evaluatedHashes(b.id));
    const other = await launch(100n);
    const ex = executor();
    await runCampaign(other.id, { repos: env.repos, executor: ex, pollMs: 20 });
    await ex.close();
    expect(await evaluatedHashes(other.id)).not.toEqual(await evaluatedHashes(a.id));
  });

  it("resumes after the coordinator stops mid-campaign, training nothing twice", async () => {
    const reference = await launch(31n, "paper", 16);
    const refEx = executor();
    await runCampaign(reference.id, { repos: env.repos, executor: refEx, pollMs: 20 });
    await refEx.close();

    const campaign = await launch(31n, "paper", 16);
    const stop = new AbortController();
    const first = executor();
    const outcome = await runCampaign(campaign.id, {
      repos: env.repos,
      executor: first,
      pollMs: 20,
      signal: stop.signal,
      onProgress: (p) => {
        if (p.evaluations >= 5) stop.abort();
      },
    });
    await first.close();
    expect(outcome).toBe("stopped");
    expect((await env.repos.campaigns.get(campaign.id)).state).toBe("running");
    const midway = (await env.repos.candidates.listByCampaign(campaign.id)).filter((c) => c.state === "completed");
    expect(midway.length).toBeGreaterThanOrEqual(5);

    const second = executor();
    expect(await runCampaign(campaign.id, { repos: env.repos, executor: second, pollMs: 20 })).toBe("completed");
    await second.close();
    const rows = await env.repos.candidates.listByCampaign(campaign.id);
    // What had finished before the stop is untouched: not trained again.
    for (const before of midway) {
      const after = rows.find((r) => r.id === before.id);
      expect(after).toEqual(before);
      expect(after?.attempts).toBe(1);
    }
    // Evaluations interrupted by the stop ran again; every candidate has one result and one set of epochs.
    for (const c of rows) {
      expect(c.state).toBe("completed");
      expect(await env.repos.epochs.list(c.id)).toHaveLength(2);
    }
    expect(await evaluatedHashes(campaign.id)).toEqual(await evaluatedHashes(reference.id));
  });

  it("runs a campaign under one coordinator only: a second one finds it busy", async () => {
    const campaign = await launch(77n, "random", 8);
    const ex = executor(new SimulatedTrainer({ epochMs: 50, epochs: 2 }));
    const first = runCampaign(campaign.id, { repos: env.repos, executor: ex, pollMs: 20, owner: "one" });
    await until(async () => (await env.repos.campaigns.get(campaign.id)).leaseOwner === "one");
    expect(await runCampaign(campaign.id, { repos: env.repos, executor: ex, pollMs: 20, owner: "two" })).toBe("busy");
    expect(await first).toBe("completed");
    await ex.close();
    expect((await env.repos.campaigns.get(campaign.id)).leaseOwner).toBeNull();
  });

  it("stops when the campaign is cancelled and cancels what was queued", async () => {
    const campaign = await launch(5n, "random", 40);
    const ex = executor(new SimulatedTrainer({ epochMs: 200, epochs: 2 }));
    const run = runCampaign(campaign.id, { repos: env.repos, executor: ex, pollMs: 20 });
    await until(async () => (await env.repos.candidates.listByCampaign(campaign.id)).some((c) => c.state === "running"));
    await cancelCampaign(env.repos, campaign.id);
    expect(await run).toBe("cancelled");
    await ex.close();
    const rows = await env.repos.candidates.listByCampaign(campaign.id);
    expect(rows.some((c) => c.state === "cancelled")).toBe(true);
    expect(rows.every((c) => c.state !== "queued")).toBe(true);
  });

  it("refuses an invalid search space or GA settings before storing anything", async () => {
    const before = (await env.repos.campaigns.list()).length;
    await expect(
      launchCampaign(env.repos, { datasetId: env.datasetId, strategy: "elitist", seed: 1n, budget: 5, searchSpace: { name: "x", genes: [] } }),
    ).rejects.toThrow();
    await expect(
      launchCampaign(env.repos, { datasetId: env.datasetId, strategy: "elitist", seed: 1n, budget: 5, settings: { ga: { populationSize: -3 } } }),
    ).rejects.toThrow(/populationSize/);
    expect((await env.repos.campaigns.list()).length).toBe(before);
  });
});
