// Server-sent events against real PostgreSQL and Redis: an epoch a worker
// writes reaches a listener within a second, and a campaign launched through
// the API runs on BullMQ (coordinator + worker) with its events streamed.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { isFinished } from "@drnn/contract";
import { createRedis } from "@drnn/queue";
import { BullmqExecutor, SimulatedTrainer, startCoordinatorService, startWorkerService } from "@drnn/tuning";
import { openTestApi, sseEvents, type TestApi } from "./testing.js";

let api: TestApi;
beforeAll(async () => {
  api = await openTestApi(inject("databaseUrl"));
});
afterAll(async () => {
  await api?.close();
});

async function launch(body: Record<string, unknown> = {}) {
  const res = await api.call("POST", "/api/campaigns", {
    token: api.writeToken,
    body: { datasetId: api.datasetId, strategy: "elitist", seed: 3, budget: 4, ga: { populationSize: 2, generations: 1 }, training: { maxEpochs: 3, pi: 0 }, ...body },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { campaign: { id: string } }).campaign.id;
}

async function openStream(campaignId: string, token = api.readToken) {
  const abort = new AbortController();
  const res = await fetch(`${api.url}/api/campaigns/${campaignId}/events`, { headers: { authorization: `Bearer ${token}` }, signal: abort.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
  const events = sseEvents(res);
  const first = await events.next();
  expect(first.value).toMatchObject({ event: "ready" });
  return { events, close: () => abort.abort() };
}

describe("server-sent events", () => {
  it("needs a token like any read", async () => {
    const id = await launch();
    expect((await api.call("GET", `/api/campaigns/${id}/events`)).status).toBe(401);
  });

  it("delivers an epoch within a second of the worker recording it", async () => {
    const id = await launch();
    const candidate = await api.repos.candidates.create({ campaignId: id, chromosome: { w: 2 }, hash: "timed" });
    await api.repos.candidates.start(candidate.id, { workerId: undefined, backend: "simulated", device: "none" });
    const stream = await openStream(id);
    try {
      for (let epoch = 1; epoch <= 3; epoch++) {
        const t0 = performance.now();
        await api.repos.epochs.record(candidate.id, { epoch, trainLoss: 1, valLoss: 1.5 - epoch / 10, valAccuracy: epoch / 10, seconds: 0.1 });
        let got: { event: string; data: unknown } | undefined;
        while (!got) {
          const next = await stream.events.next();
          if (next.done) throw new Error("stream ended");
          if (next.value.event === "epoch") got = next.value;
        }
        const ms = performance.now() - t0;
        expect(got.data).toMatchObject({ candidateId: candidate.id, epoch, valAccuracy: epoch / 10 });
        console.info(`epoch ${epoch}: event ${ms.toFixed(0)} ms after repos.epochs.record`);
        expect(ms).toBeLessThan(1000);
      }
    } finally {
      stream.close();
    }
  });

  it("streams a campaign launched through the API and run on BullMQ: epochs, finished candidates, generations, completion", async () => {
    const queue = { redisUrl: inject("redisUrl"), prefix: `${inject("queuePrefix")}-api` };
    const trainer = new SimulatedTrainer({ epochMs: 30, epochs: 3 });
    const worker = await startWorkerService({ repos: api.repos, queue, trainer, concurrency: 2, heartbeatMs: 500 });
    const connection = createRedis(queue.redisUrl);
    const executor = new BullmqExecutor(connection, queue);
    const coordinator = startCoordinatorService({ repos: api.repos, executor, scanMs: 200, pollMs: 100 });
    const id = await launch({ budget: 4 });
    const stream = await openStream(id);
    const seen = new Map<string, number>();
    let finishedCandidates = 0;
    try {
      for await (const e of stream.events) {
        seen.set(e.event, (seen.get(e.event) ?? 0) + 1);
        if (e.event === "candidate" && (e.data as { state: string }).state === "completed") finishedCandidates++;
        if (e.event === "campaign" && isFinished((e.data as { state: string }).state)) {
          expect((e.data as { state: string }).state).toBe("completed");
          break;
        }
      }
      expect(seen.get("epoch") ?? 0).toBeGreaterThanOrEqual(3);
      expect(finishedCandidates).toBeGreaterThanOrEqual(2);
      expect(seen.get("generation") ?? 0).toBeGreaterThanOrEqual(1);
      const workers = (await (await api.call("GET", "/api/workers", { token: api.readToken })).json()) as { workers: { id: string; backend: string; alive: boolean }[] };
      expect(workers.workers.find((w) => w.id === worker.id)).toMatchObject({ backend: "simulated", alive: true });
    } finally {
      stream.close();
      await coordinator.close();
      await worker.close();
      await executor.close();
      connection.disconnect();
    }
  }, 60_000);
});
