// The BullMQ backend: the coordinator enqueues, worker processes consume.
// The processor is a plain function on the worker's event loop because the
// trainer runs training in a worker thread and only awaits it; the loop stays
// free to renew locks (see FITNESS_WORKER_SETTINGS for the timings).
import { Worker, type Job, type JobsOptions } from "bullmq";
import type { Redis } from "ioredis";
import { isDatabaseUnavailable } from "@drnn/db";
import { FITNESS_QUEUE, FitnessQueue, SERVICE_UNAVAILABLE_PREFIX, UnrecoverableError, workerOptions, type FitnessJobPayload, type JobStatus, type QueueConfig } from "@drnn/queue";
import { evaluateCandidate, isPermanentFailure, type EvaluationDeps } from "../evaluation/evaluate-candidate.js";
import type { Logger } from "../logger.js";
import type { FitnessExecutor } from "./executor.js";

/** What BullMQ should make of an evaluation's error: no retry, or a failure the coordinator re-dispatches. */
function forQueue(err: unknown): unknown {
  const message = err instanceof Error ? err.message : String(err);
  if (isPermanentFailure(err)) return new UnrecoverableError(message);
  if (isDatabaseUnavailable(err)) return new Error(`${SERVICE_UNAVAILABLE_PREFIX}${message.split("\n").find((l) => l.trim() !== "")?.trim() ?? "database"}`);
  return err;
}

export class BullmqExecutor implements FitnessExecutor {
  readonly kind = "bullmq";
  private readonly queue: FitnessQueue;
  constructor(connection: Redis, config: QueueConfig, queueName: string = FITNESS_QUEUE, jobOptions: JobsOptions = {}) {
    this.queue = new FitnessQueue(connection, config, queueName, jobOptions);
  }
  async submit(payload: FitnessJobPayload): Promise<void> {
    await this.queue.enqueue(payload);
  }
  status(payload: FitnessJobPayload): Promise<JobStatus> {
    return this.queue.status(payload.campaignId, payload.hash);
  }
  close(): Promise<void> {
    return this.queue.close();
  }
  /** The underlying queue, for tests and benchmarks. */
  get bullQueue() {
    return this.queue.queue;
  }
}

export interface FitnessWorkerOptions {
  connection: Redis;
  config: QueueConfig;
  queueName?: string;
  concurrency: number;
  deps: Omit<EvaluationDeps, "signal">;
  /** Worker errors and failed jobs, with the candidate and campaign ids. */
  logger?: Logger;
}

export interface FitnessWorkerHandle {
  worker: Worker<FitnessJobPayload>;
  /** Graceful stop: running evaluations are requeued, the lock released. */
  close(): Promise<void>;
}

export function startFitnessWorker(o: FitnessWorkerOptions): FitnessWorkerHandle {
  const shutdown = new AbortController();
  const processor = async (job: Job<FitnessJobPayload>) => {
    const number = job.attemptsMade + 1;
    const outcome = await evaluateCandidate(job.data, { ...o.deps, signal: shutdown.signal }, { number, final: number >= (job.opts.attempts ?? 1) }).catch((err: unknown) => {
      throw forQueue(err);
    });
    return { outcome: outcome.kind, candidateId: outcome.candidate.id, fitness: outcome.candidate.fitness };
  };
  const worker = new Worker<FitnessJobPayload>(o.queueName ?? FITNESS_QUEUE, processor, workerOptions(o.connection, o.config, o.concurrency));
  // Connection outages are also reported once each way by the connection's owner (watchRedis).
  worker.on("error", (err) => o.logger?.error({ err, queue: o.queueName ?? FITNESS_QUEUE }, "fitness worker error"));
  worker.on("failed", (job, err) => o.logger?.warn({ err, candidateId: job?.data.candidateId, campaignId: job?.data.campaignId, attempt: job?.attemptsMade }, "fitness job failed"));
  return {
    worker,
    close: async () => {
      shutdown.abort();
      await worker.close();
    },
  };
}
