import { getEventListeners } from "node:events";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { FitnessResult } from "@drnn/queue";
import type { Trainer } from "../trainer.js";
import { SimulatedTrainer } from "../trainers/simulated.js";
import { openTestEnv, payloadFor, type TestEnv } from "../testing.js";
import { evaluateCandidate } from "./evaluate-candidate.js";

let env: TestEnv;
beforeAll(async () => {
  env = await openTestEnv(inject("databaseUrl"));
});
afterAll(() => env.close());

const worker = { id: "test-worker", backend: "simulated", device: "none" };
const once = { number: 1, final: true };

async function oneCandidate(running = true) {
  const campaign = await env.repos.campaigns.create({ datasetId: env.datasetId, strategy: "random", searchSpace: {}, gaSettings: {}, seed: 1n, budget: 4 });
  if (running) await env.repos.campaigns.start(campaign.id);
  const c = await env.repos.candidates.create({ campaignId: campaign.id, chromosome: {}, hash: randomUUID() });
  return payloadFor(env, campaign.id, c.id, c.hash);
}

describe("evaluateCandidate", () => {
  it("stores a zero fitness with its reason as a completed result, not an error", async () => {
    const nan: Trainer = {
      backend: "simulated",
      device: "none",
      close: async () => undefined,
      train: async (): Promise<FitnessResult> => ({
        fitness: 0, accuracy: 0, loss: 0, converged: false, epochs: 1, backend: "simulated", device: "none", trainSeconds: 0.1, samplesPerSecond: 0, reason: "nan-loss",
      }),
    };
    const p = await oneCandidate();
    const outcome = await evaluateCandidate(p, { repos: env.repos, trainer: nan, worker }, once);
    expect(outcome.kind).toBe("completed");
    expect(await env.repos.candidates.get(p.candidateId)).toMatchObject({ state: "completed", fitness: 0, error: "nan-loss" });
  });

  it("does nothing for a candidate that already has its result", async () => {
    const p = await oneCandidate();
    const trainer = new SimulatedTrainer({ epochMs: 1, epochs: 1 });
    await evaluateCandidate(p, { repos: env.repos, trainer, worker }, once);
    const first = await env.repos.candidates.get(p.candidateId);
    const again = await evaluateCandidate(p, { repos: env.repos, trainer, worker }, once);
    expect(again.kind).toBe("already-finished");
    expect(await env.repos.candidates.get(p.candidateId)).toEqual(first);
  });

  it("cancels instead of training when the campaign is no longer running", async () => {
    const p = await oneCandidate();
    await env.repos.campaigns.cancel(p.campaignId);
    const outcome = await evaluateCandidate(p, { repos: env.repos, trainer: new SimulatedTrainer(), worker }, once);
    expect(outcome.kind).toBe("cancelled");
    expect((await env.repos.candidates.get(p.candidateId)).state).toBe("cancelled");
  });

  it("leaves no listener on the worker's long-lived signal, however many jobs it runs", async () => {
    const shutdown = new AbortController();
    const before = getEventListeners(shutdown.signal, "abort").length;
    for (let i = 0; i < 12; i++) {
      const p = await oneCandidate();
      await evaluateCandidate(p, { repos: env.repos, trainer: new SimulatedTrainer({ epochMs: 0, epochs: 1 }), worker, signal: shutdown.signal }, once);
    }
    expect(getEventListeners(shutdown.signal, "abort")).toHaveLength(before);
  });
});
