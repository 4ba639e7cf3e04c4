// `drnn bench queue`: what the distribution machinery costs, apart from
// training. Two fixed workloads on the real services:
//  - overhead: one worker, a trivial job (one simulated epoch of 0 ms), jobs
//    one at a time; per job, the time from enqueue to the job's completion,
//    which includes every database write a real job makes (start, epoch,
//    result). p50 / p99 / mean.
//  - scaling: N workers (each its own Redis connection, concurrency 1), jobs
//    of a fixed simulated duration, all queued at once; jobs/s against the
//    ideal N / duration.
import { randomUUID } from "node:crypto";
import type { Repositories } from "@drnn/db";
import { TRAINING_DEFAULTS } from "@drnn/ga";
import { createQueueEvents, createRedis, fitnessJobId, type FitnessJobPayload } from "@drnn/queue";
import { BullmqExecutor, startFitnessWorker, type FitnessWorkerHandle } from "../executors/bullmq.js";
import { SimulatedTrainer } from "../trainers/simulated.js";

export interface QueueBenchOptions {
  repos: Repositories;
  redisUrl: string;
  prefix: string;
  jobs: number;
  workerCounts: number[];
  jobMs: number;
  onProgress?: (line: string) => void;
}

export interface ScalingPoint {
  workers: number;
  jobs: number;
  seconds: number;
  perSecond: number;
  ideal: number;
  /** perSecond / (workers x perSecond at the smallest worker count). */
  scaling: number;
}

export interface QueueBenchResult {
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  perSecond: number;
  jobs: number;
  scaling: ScalingPoint[];
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

async function benchCampaign(repos: Repositories, jobs: number) {
  const dataset = await repos.datasets.register({ name: "bench", format: "none", contentHash: `bench-${randomUUID()}`, location: "/nowhere", stats: {} });
  const campaign = await repos.campaigns.create({ name: "bench queue", datasetId: dataset.id, strategy: "random", searchSpace: {}, gaSettings: {}, seed: 1n, budget: jobs });
  await repos.campaigns.start(campaign.id);
  const payloads: FitnessJobPayload[] = [];
  for (let i = 0; i < jobs; i++) {
    const c = await repos.candidates.create({ campaignId: campaign.id, chromosome: { i }, hash: `bench-${i}` });
    payloads.push({
      campaignId: campaign.id,
      candidateId: c.id,
      hash: c.hash,
      chromosome: { i },
      dataset: { id: dataset.id, contentHash: dataset.contentHash, location: dataset.location },
      training: { ...TRAINING_DEFAULTS, maxEpochs: 1, pruning: null, seed: i },
    });
  }
  return { campaignId: campaign.id, payloads };
}

async function withWorkers<T>(o: QueueBenchOptions, queueName: string, count: number, epochMs: number, fn: () => Promise<T>): Promise<T> {
  const trainer = new SimulatedTrainer({ epochMs, epochs: 1 });
  const handles: { handle: FitnessWorkerHandle; disconnect: () => void }[] = [];
  for (let i = 0; i < count; i++) {
    const id = `bench-${queueName}-${i}`;
    await o.repos.workers.register({ id, hostname: "bench", backend: trainer.backend, device: trainer.device, concurrency: 1 });
    const connection = createRedis(o.redisUrl);
    const handle = startFitnessWorker({
      connection,
      config: { redisUrl: o.redisUrl, prefix: o.prefix },
      queueName,
      concurrency: 1,
      deps: { repos: o.repos, trainer, worker: { id, backend: trainer.backend, device: trainer.device }, heartbeatMs: 60_000 },
    });
    handles.push({ handle, disconnect: () => connection.disconnect() });
  }
  try {
    await Promise.all(handles.map((h) => h.handle.worker.waitUntilReady()));
    return await fn();
  } finally {
    for (const h of handles) {
      await h.handle.close();
      h.disconnect();
    }
  }
}

async function overhead(o: QueueBenchOptions): Promise<number[]> {
  const queueName = `bench-overhead-${randomUUID()}`;
  const producer = createRedis(o.redisUrl);
  const listener = createRedis(o.redisUrl);
  const executor = new BullmqExecutor(producer, { redisUrl: o.redisUrl, prefix: o.prefix }, queueName);
  const events = createQueueEvents(listener, { redisUrl: o.redisUrl, prefix: o.prefix }, queueName);
  const { payloads } = await benchCampaign(o.repos, o.jobs);
  const times: number[] = [];
  try {
    await events.waitUntilReady();
    await withWorkers(o, queueName, 1, 0, async () => {
      for (const p of payloads) {
        const t0 = performance.now();
        await executor.submit(p);
        const job = await executor.bullQueue.getJob(fitnessJobId(p.campaignId, p.hash));
        await job?.waitUntilFinished(events, 30_000);
        times.push(performance.now() - t0);
        if (times.length % 50 === 0) o.onProgress?.(`overhead: ${times.length}/${payloads.length} jobs`);
      }
    });
  } finally {
    await executor.bullQueue.obliterate({ force: true });
    await events.close();
    await executor.close();
    producer.disconnect();
    listener.disconnect();
  }
  return times;
}

async function scalingPoint(o: QueueBenchOptions, workers: number): Promise<Omit<ScalingPoint, "scaling">> {
  const queueName = `bench-scaling-${randomUUID()}`;
  const producer = createRedis(o.redisUrl);
  const executor = new BullmqExecutor(producer, { redisUrl: o.redisUrl, prefix: o.prefix }, queueName);
  const jobs = Math.max(20, 10 * workers);
  const { campaignId, payloads } = await benchCampaign(o.repos, jobs);
  try {
    return await withWorkers(o, queueName, workers, o.jobMs, async () => {
      const t0 = performance.now();
      for (const p of payloads) await executor.submit(p);
      for (;;) {
        const rows = await o.repos.candidates.listByCampaign(campaignId);
        if (rows.every((r) => r.state === "completed" || r.state === "failed")) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      const seconds = (performance.now() - t0) / 1000;
      return { workers, jobs, seconds, perSecond: jobs / seconds, ideal: (workers * 1000) / o.jobMs };
    });
  } finally {
    await executor.bullQueue.obliterate({ force: true });
    await executor.close();
    producer.disconnect();
  }
}

export async function runQueueBenchmark(o: QueueBenchOptions): Promise<QueueBenchResult> {
  const times = await overhead(o);
  const sorted = [...times].sort((a, b) => a - b);
  const points: Omit<ScalingPoint, "scaling">[] = [];
  for (const n of o.workerCounts) {
    o.onProgress?.(`scaling: ${n} worker(s), ${o.jobMs} ms jobs...`);
    points.push(await scalingPoint(o, n));
  }
  const base = points[0];
  const perWorker = base ? base.perSecond / base.workers : 1;
  return {
    p50Ms: quantile(sorted, 0.5),
    p99Ms: quantile(sorted, 0.99),
    meanMs: times.reduce((a, b) => a + b, 0) / Math.max(1, times.length),
    perSecond: 1000 / (times.reduce((a, b) => a + b, 0) / Math.max(1, times.length)),
    jobs: times.length,
    scaling: points.map((p) => ({ ...p, scaling: p.perSecond / (p.workers * perWorker) })),
  };
}
