// The BullMQ backend: the coordinator enqueues, worker processes consume.
// The processor is a plain function on the worker's event loop because the
// trainer runs training in a worker thread and only awaits it; the loop stays
// free to renew locks (see FITNESS_WORKER_SETTINGS for the timings).
import { Worker, type Job, type JobsOptions } from "bullmq";
import type { Redis } from "ioredis";
import { FITNESS_QUEUE, FitnessQueue, workerOptions, type FitnessJobPayload, type QueueConfig } from "@drnn/queue";
import { evaluateCandidate, type EvaluationDeps } from "../evaluation/evaluate-candidate.js";
import type { FitnessExecutor } from "./executor.js";

export class BullmqExecutor implements FitnessExecutor {
  readonly kind = "bullmq";
  private readonly queue: FitnessQueue;
  constructor(connection: Redis, config: QueueConfig, queueName: string = FITNESS_QUEUE, jobOptions: JobsOptions = {}) {
    this.queue = new FitnessQueue(connection, config, queueName, jobOptions);
  }
  async submit(payload: FitnessJobPayload): Promise<void> {
    await this.queue.enqueue(payload);
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
    const outcome = await evaluateCandidate(job.data, { ...o.deps, signal: shutdown.signal }, { number, final: number >= (job.opts.attempts ?? 1) });
    return { outcome: outcome.kind, candidateId: outcome.candidate.id, fitness: outcome.candidate.fitness };
  };
  const worker = new Worker<FitnessJobPayload>(o.queueName ?? FITNESS_QUEUE, processor, workerOptions(o.connection, o.config, o.concurrency));
  worker.on("error", () => undefined);
  return {
    worker,
    close: async () => {
      shutdown.abort();
      await worker.close();
    },
  };
}
