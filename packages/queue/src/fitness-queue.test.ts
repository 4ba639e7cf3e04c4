import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { UnrecoverableError, Worker, type Job } from "bullmq";
import { afterEach, describe, expect, inject, it } from "vitest";
import { FitnessQueue, SERVICE_UNAVAILABLE_PREFIX, createQueueEvents } from "./fitness-queue.js";
import { checkRedis, createRedis, workerOptions, RedisUnavailableError, FITNESS_WORKER_SETTINGS } from "./connection.js";
import { fitnessJobPayload, fitnessProgress, fitnessResult, type FitnessJobPayload } from "./schemas.js";

const config = { redisUrl: inject("redisUrl"), prefix: inject("queuePrefix") };
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

function payload(overrides: Partial<FitnessJobPayload> = {}): FitnessJobPayload {
  return {
    campaignId: randomUUID(),
    candidateId: randomUUID(),
    hash: "3f2a",
    chromosome: { w: 4, l: 2, neurons: [64, 32] },
    dataset: { id: randomUUID(), contentHash: "sha256:abc", location: "/data/ds" },
    training: { policy: "patience", maxEpochs: 5, pi: 0.001, patience: 2, unsettledFitness: 0, pruning: null, seed: 7 },
    ...overrides,
  };
}

/** A queue with its own name, obliterated after the test. */
async function freshQueue() {
  const name = `fitness-${randomUUID()}`;
  const connection = createRedis(config.redisUrl);
  const queue = new FitnessQueue(connection, config, name);
  cleanups.push(async () => {
    await queue.queue.obliterate({ force: true });
    await queue.close();
    connection.disconnect();
  });
  return { name, queue };
}

describe("fitness job schemas", () => {
  it("fill defaults and refuse a malformed payload with the field named", () => {
    const { training, ...rest } = payload();
    const parsed = fitnessJobPayload.parse({ ...rest, training: { policy: "paper", maxEpochs: 3, pi: 0.01, patience: 1, seed: 1 } });
    expect(parsed.training.pruning).toBeNull();
    expect(parsed.training.unsettledFitness).toBe(0);
    const bad = fitnessJobPayload.safeParse({ ...rest, training: { ...training, maxEpochs: 0 } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(["training", "maxEpochs"]);
  });

  it("refuse progress and results that break the contract", () => {
    expect(fitnessProgress.safeParse({ kind: "epoch", epoch: 1, trainLoss: 1, valLoss: 1, valAccuracy: 1.5, seconds: 1 }).success).toBe(false);
    expect(fitnessProgress.safeParse({ kind: "paused" }).success).toBe(false);
    expect(fitnessResult.safeParse({ fitness: -1 }).success).toBe(false);
  });
});

describe("fitness queue on Redis", () => {
  it("queues one job per campaign and chromosome hash", async () => {
    const { queue } = await freshQueue();
    const p = payload();
    const first = await queue.enqueue(p);
    const second = await queue.enqueue({ ...p, candidateId: randomUUID() });
    expect(first).toEqual({ jobId: `${p.campaignId}.${p.hash}`, added: true });
    expect(second).toEqual({ jobId: first.jobId, added: false });
    expect(await queue.queue.getJobCounts("waiting")).toEqual({ waiting: 1 });
    const job = await queue.queue.getJob(first.jobId);
    expect(job?.opts.attempts).toBe(3);
  });

  it("replaces a failed or completed job on resubmit, and reports each job's state", async () => {
    const { name, queue } = await freshQueue();
    const connection = createRedis(config.redisUrl);
    const worker = new Worker(name, null, workerOptions(connection, config, 1));
    cleanups.push(async () => (await worker.close(), connection.disconnect()));
    const failing = payload({ hash: "f1" });
    const unavailable = payload({ hash: "f2" });
    const done = payload({ hash: "c1" });
    expect(await queue.status(failing.campaignId, failing.hash)).toEqual({ state: "missing" });
    for (const p of [failing, unavailable, done]) await queue.enqueue({ ...p });
    expect(await queue.status(failing.campaignId, failing.hash)).toEqual({ state: "pending" });
    // Takes each job by hand (a worker without a processor) and ends it as a worker would.
    const endings: Record<string, (job: Job, token: string) => Promise<unknown>> = {
      f1: (job, token) => job.moveToFailed(new UnrecoverableError("job stalled more than allowable limit"), token),
      f2: (job, token) => job.moveToFailed(new UnrecoverableError(`${SERVICE_UNAVAILABLE_PREFIX}Can't reach database server`), token),
      c1: (job, token) => job.moveToCompleted({ ok: true }, token, false),
    };
    for (let i = 0; i < 3; i++) {
      const job = (await worker.getNextJob("tok")) as Job<FitnessJobPayload> | undefined;
      if (!job) throw new Error("no job to take");
      await endings[job.data.hash]?.(job, "tok");
    }
    expect(await queue.status(failing.campaignId, failing.hash)).toEqual({ state: "failed", reason: "job stalled more than allowable limit", retryable: false });
    expect(await queue.status(unavailable.campaignId, unavailable.hash)).toMatchObject({ state: "failed", retryable: true });
    expect(await queue.status(done.campaignId, done.hash)).toEqual({ state: "completed" });
    for (const p of [failing, unavailable, done]) {
      expect(await queue.enqueue(p)).toEqual({ jobId: `${p.campaignId}.${p.hash}`, added: true });
      expect(await queue.status(p.campaignId, p.hash)).toEqual({ state: "pending" });
      // Pending now: a second resubmit changes nothing.
      expect((await queue.enqueue(p)).added).toBe(false);
    }
    expect(await queue.queue.getJobCounts("waiting", "failed", "completed")).toEqual({ waiting: 3, failed: 0, completed: 0 });
  });

  it("runs a sandboxed processor on a worker thread and carries progress and the result back", async () => {
    const { name, queue } = await freshQueue();
    const connection = createRedis(config.redisUrl);
    const eventsConnection = createRedis(config.redisUrl);
    const events = createQueueEvents(eventsConnection, config, name);
    const processorFile = fileURLToPath(new URL("./__fixtures__/echo-processor.mjs", import.meta.url));
    const worker = new Worker(name, processorFile, workerOptions(connection, config, 1));
    cleanups.push(async () => {
      await worker.close();
      await events.close();
      connection.disconnect();
      eventsConnection.disconnect();
    });
    await events.waitUntilReady();
    const progress: unknown[] = [];
    events.on("progress", ({ data }) => progress.push(data));

    const { jobId } = await queue.enqueue(payload({ hash: "beef" }));
    const job = await queue.queue.getJob(jobId);
    const raw: unknown = await job?.waitUntilFinished(events, 20_000);
    const result = fitnessResult.parse(raw);
    expect(result).toMatchObject({ accuracy: 0.5, loss: 1.25, device: "thread:beef", reason: null });
    expect(result.fitness).toBeCloseTo(0.5 + 1 / 2.25, 10);
    expect(worker.opts.useWorkerThreads).toBe(FITNESS_WORKER_SETTINGS.useWorkerThreads);
    await expect.poll(() => progress.length, { timeout: 5000 }).toBeGreaterThan(0);
    expect(fitnessProgress.parse(progress[0])).toMatchObject({ kind: "epoch", epoch: 1 });
  });

  it("keys everything under the configured prefix", async () => {
    const { queue } = await freshQueue();
    await queue.enqueue(payload());
    const redis = createRedis(config.redisUrl);
    cleanups.push(async () => redis.disconnect());
    const keys = await redis.keys(`${config.prefix}:${queue.queue.name}:*`);
    expect(keys.length).toBeGreaterThan(0);
  });
});

describe("checkRedis", () => {
  it("passes on the test Redis", async () => {
    await expect(checkRedis(config.redisUrl)).resolves.toBeUndefined();
  });

  it("names an unreachable Redis in one line", async () => {
    const error = await checkRedis("redis://127.0.0.1:1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisUnavailableError);
    expect((error as Error).message).toMatch(/^cannot reach Redis at 127\.0\.0\.1:1: .*ECONNREFUSED/);
  });
});
