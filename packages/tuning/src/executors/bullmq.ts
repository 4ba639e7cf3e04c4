// The BullMQ backend: the coordinator enqueues, worker processes consume.
// The processor is a plain function on the worker's event loop because the
// trainer runs training in a worker thread and only awaits it; the loop stays
// free to renew locks (see FITNESS_WORKER_SETTINGS for the timings).
import { WaitingError, Worker, type Job, type JobsOptions } from "bullmq";
import type { Redis } from "ioredis";
import { isDatabaseUnavailable } from "@drnn/db";
import { FITNESS_QUEUE, FitnessQueue, isLostJobError, isRedisConnectionError, SERVICE_UNAVAILABLE_PREFIX, UnrecoverableError, workerOptions, type FitnessJobPayload, type JobStatus, type QueueConfig } from "@drnn/queue";
import { evaluateCandidate, isPermanentFailure, PermanentFailureError, type EvaluationDeps } from "../evaluation/evaluate-candidate.js";
import { reasonOf, type Logger } from "@drnn/ops";
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

export interface DrainReport {
  /** Jobs running when the stop began. */
  running: number;
  /** Of those, jobs stopped and handed back to the queue (the rest finished). */
  handedBack: number;
  ms: number;
}

export interface FitnessWorkerHandle {
  worker: Worker<FitnessJobPayload>;
  /**
   * Graceful stop: no new job is taken; running ones may finish for up to
   * `graceMs` (default 0), then they are stopped and handed back to the
   * queue (waiting again, no attempt used up), so another worker re-runs them.
   */
  close(graceMs?: number): Promise<DrainReport>;
}

export function startFitnessWorker(o: FitnessWorkerOptions): FitnessWorkerHandle {
  const shutdown = new AbortController();
  const queueName = o.queueName ?? FITNESS_QUEUE;
  let running = 0;
  let handedBack = 0;
  const processor = async (job: Job<FitnessJobPayload>, token?: string) => {
    const number = job.attemptsMade + 1;
    const logger = o.deps.logger?.child({ jobId: job.id, candidateId: job.data.candidateId, campaignId: job.data.campaignId, attempt: number });
    running++;
    try {
      logger?.info("fitness job started");
      const outcome = await evaluateCandidate(job.data, { ...o.deps, ...(logger ? { logger } : {}), signal: shutdown.signal }, { number, final: number >= (job.opts.attempts ?? 1) });
      logger?.info({ outcome: outcome.kind, fitness: outcome.candidate.fitness, epochs: outcome.candidate.epochs, stopReason: outcome.candidate.stopReason }, "fitness job finished");
      return { outcome: outcome.kind, candidateId: outcome.candidate.id, fitness: outcome.candidate.fitness };
    } catch (err) {
      if (!shutdown.signal.aborted || err instanceof PermanentFailureError || isPermanentFailure(err)) throw forQueue(err);
      // Stopped by the worker's shutdown: back to waiting with the attempt not counted, for another worker.
      await job.moveToWait(token);
      handedBack++;
      logger?.info("job handed back to the queue (worker shutting down)");
      throw new WaitingError();
    } finally {
      running--;
    }
  };
  const worker = new Worker<FitnessJobPayload>(queueName, processor, workerOptions(o.connection, o.config, o.concurrency));
  worker.on("error", (err) => {
    if (isRedisConnectionError(err)) return;
    if (isLostJobError(err)) o.logger?.warn({ queue: queueName, reason: err.message }, "a job's keys were gone from Redis (restarted without its data?): the coordinator queues the candidate again");
    else o.logger?.error({ err, queue: queueName }, "fitness worker error");
  });
  worker.on("failed", (job, err) => {
    if (err instanceof WaitingError || err.name === "WaitingError") return;
    // The reason in one line; the stack only at debug (a database outage fails jobs that retry by themselves).
    const ids = { jobId: job?.id, candidateId: job?.data.candidateId, campaignId: job?.data.campaignId, attempt: job?.attemptsMade };
    o.logger?.warn({ ...ids, reason: reasonOf(err) }, "fitness job failed");
    o.logger?.debug({ ...ids, err }, "fitness job failed (stack)");
  });
  return {
    worker,
    close: async (graceMs = 0) => {
      const started = Date.now();
      const atStart = running;
      const closing = worker.close();
      const timer = setTimeout(() => shutdown.abort(), graceMs);
      try {
        await closing;
      } finally {
        clearTimeout(timer);
        shutdown.abort();
      }
      return { running: atStart, handedBack, ms: Date.now() - started };
    },
  };
}
