// Warm start: given chromosomes and another campaign's best go first in the
// initial population, validated against the new campaign's space.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { InProcessExecutor } from "../executors/in-process.js";
import { SimulatedTrainer } from "../trainers/simulated.js";
import { openTestEnv, SMALL_SPACE, type TestEnv } from "../testing.js";
import { campaignStatus, launchCampaign } from "./campaigns.js";
import { runCampaign } from "./run-campaign.js";
import { bestChromosomes } from "./warm-start.js";

let env: TestEnv;
beforeAll(async () => {
  env = await openTestEnv(inject("databaseUrl"));
});
afterAll(() => env.close());

const worker = { id: "test-worker", backend: "simulated", device: "none" };
const base = { strategy: "elitist" as const, budget: 4, searchSpace: SMALL_SPACE, settings: { ga: { populationSize: 4, generations: 0 }, training: { maxEpochs: 2 } } };

describe("warm start", () => {
  it("seeds a campaign with given chromosomes and with another campaign's best, and refuses one outside the space", async () => {
    const first = await launchCampaign(env.repos, { ...base, datasetId: env.datasetId, seed: 21n });
    const ex = new InProcessExecutor({ deps: { repos: env.repos, trainer: new SimulatedTrainer({ epochMs: 1, epochs: 2 }), worker }, concurrency: 2, attempts: 1 });
    expect(await runCampaign(first.id, { repos: env.repos, executor: ex, pollMs: 20 })).toBe("completed");
    const [top] = await bestChromosomes(env.repos, first.id, 1);
    const status = await campaignStatus(env.repos, first.id);
    expect(top).toEqual(status.best?.chromosome);

    const given = { w: 3, l: 1, neurons: [24], learningRate: 0.02 };
    const second = await launchCampaign(env.repos, { ...base, datasetId: env.datasetId, seed: 22n, warmStart: { initial: [given], fromCampaign: first.id } });
    const initial = (second.gaSettings as { ga: { initial: unknown[] } }).ga.initial;
    expect(initial.slice(0, 2)).toEqual([given, top]);
    expect(await runCampaign(second.id, { repos: env.repos, executor: ex, pollMs: 20 })).toBe("completed");
    await ex.close();
    const evaluated = (await env.repos.candidates.listByCampaign(second.id)).map((c) => c.chromosome);
    expect(evaluated).toEqual(expect.arrayContaining([given, top]));

    await expect(launchCampaign(env.repos, { ...base, datasetId: env.datasetId, seed: 23n, warmStart: { initial: [{ w: 99 }] } })).rejects.toThrow(/w/);
  });
});
