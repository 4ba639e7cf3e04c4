// The coordinator against what BullMQ loses or gives up on, on the test
// Redis: jobs gone (Redis restarted empty), a job stalled out, a job failed
// because the database was away. Each campaign must complete with one
// result per candidate and nothing left queued or running.
import { randomUUID } from "node:crypto";
import { Worker, UnrecoverableError, type Job } from "bullmq";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { createRedis, SERVICE_UNAVAILABLE_PREFIX, workerOptions } from "@drnn/queue";
import { BullmqExecutor, startFitnessWorker } from "../executors/bullmq.js";
import { SimulatedTrainer } from "../trainers/simulated.js";
import { openTestEnv, SMALL_SPACE, until, type TestEnv } from "../testing.js";
import { launchCampaign } from "./campaigns.js";
import { runCampaign } from "./run-campaign.js";

const config = { redisUrl: inject("redisUrl"), prefix: inject("queuePrefix") };
const worker = { id: "test-worker", backend: "simulated", device: "none" };
let env: TestEnv;
const cleanups: (() => Promise<unknown>)[] = [];
beforeAll(async () => {
  env = await openTestEnv(inject("databaseUrl"));
});
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});
afterAll(() => env.close());

async function setup() {
  const queueName = `fitness-${randomUUID()}`;
  const producer = createRedis(config.redisUrl);
  const executor = new BullmqExecutor(producer, config, queueName, { backoff: { type: "fixed", delay: 50 } });
  cleanups.push(async () => (await executor.bullQueue.obliterate({ force: true }), await executor.close(), producer.disconnect()));
  const campaign = await launchCampaign(env.repos, {
    datasetId: env.datasetId,
    strategy: "elitist",
    seed: 3n,
    budget: 6,
    searchSpace: SMALL_SPACE,
    settings: { ga: { populationSize: 3, generations: 2 }, training: { maxEpochs: 2, pi: 0.01 } },
  });
  const run = runCampaign(campaign.id, { repos: env.repos, executor, pollMs: 20, reconcileMs: 100 });
  // The first generation is dispatched; no worker has taken anything yet.
  await until(async () => (await executor.bullQueue.getJobCounts("waiting")).waiting === 3);
  const startWorker = () => {
    const consumer = createRedis(config.redisUrl);
    const w = startFitnessWorker({ connection: consumer, config, queueName, concurrency: 2, deps: { repos: env.repos, trainer: new SimulatedTrainer({ epochMs: 5, epochs: 2 }), worker } });
    cleanups.push(async () => (await w.close(), consumer.disconnect()));
  };
  /** Takes the next job by hand, as a worker would, and fails it with `error`. */
  const failNextJob = async (error: Error) => {
    const connection = createRedis(config.redisUrl);
    const hand = new Worker(queueName, null, workerOptions(connection, config, 1));
    const job = (await hand.getNextJob("hand")) as Job | undefined;
    if (!job) throw new Error("no job to take");
    await job.moveToFailed(error, "hand");
    await hand.close();
    connection.disconnect();
    return (job.data as { candidateId: string }).candidateId;
  };
  const outcome = () => Promise.race([run, new Promise((r) => setTimeout(() => r("still running after 30 s"), 30_000))]);
  return { campaign, executor, startWorker, failNextJob, outcome };
}

async function expectSettled(campaignId: string) {
  const rows = await env.repos.candidates.listByCampaign(campaignId);
  expect(rows.filter((r) => r.state === "queued" || r.state === "running")).toEqual([]);
  return rows;
}

describe("coordinator reconciliation with BullMQ", () => {
  it("re-dispatches queued candidates whose jobs vanished (Redis restarted without persistence)", async () => {
    const { campaign, executor, startWorker, outcome } = await setup();
    await executor.bullQueue.obliterate({ force: true });
    startWorker();
    expect(await outcome()).toBe("completed");
    const rows = await expectSettled(campaign.id);
    expect(rows.every((r) => r.state === "completed" && r.attempts === 1)).toBe(true);
  });

  it("fails a candidate whose job stalled out, with the queue's reason, and the campaign goes on", async () => {
    const { campaign, startWorker, failNextJob, outcome } = await setup();
    const victim = await failNextJob(new UnrecoverableError("job stalled more than allowable limit"));
    startWorker();
    expect(await outcome()).toBe("completed");
    const rows = await expectSettled(campaign.id);
    const failed = rows.find((r) => r.id === victim);
    expect(failed).toMatchObject({ state: "failed", fitness: 0 });
    expect(failed?.error).toBe("job failed: job stalled more than allowable limit");
    expect(rows.filter((r) => r.id !== victim).every((r) => r.state === "completed")).toBe(true);
  });

  it("re-dispatches, with a fresh job, a candidate whose job failed because the database was away", async () => {
    const { campaign, startWorker, failNextJob, outcome } = await setup();
    const victim = await failNextJob(new UnrecoverableError(`${SERVICE_UNAVAILABLE_PREFIX}Can't reach database server`));
    startWorker();
    expect(await outcome()).toBe("completed");
    const rows = await expectSettled(campaign.id);
    expect(rows.find((r) => r.id === victim)).toMatchObject({ state: "completed", attempts: 1 });
  });
});
