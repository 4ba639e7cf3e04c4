// The producer side of the fitness queue: what the coordinator calls.
import { Queue, QueueEvents, type JobsOptions } from "bullmq";
import type { Redis } from "ioredis";
import { FITNESS_QUEUE, fitnessJobId } from "./names.js";
import { fitnessJobPayload, type FitnessJobPayload } from "./schemas.js";
import { queueOptions, type QueueConfig } from "./connection.js";
import { addOnce, LIVE_STATES, type EnqueueResult } from "./job-once.js";

/** What BullMQ knows of an evaluation's job, as the coordinator reconciles it. */
export type JobStatus =
  | { state: "pending" }
  | { state: "missing" }
  | { state: "completed" }
  | { state: "failed"; reason: string; retryable: boolean };

/**
 * Marks a job failure caused by a service being away (the database down)
 * rather than by the candidate: the coordinator re-dispatches these instead
 * of failing the candidate.
 */
export const SERVICE_UNAVAILABLE_PREFIX = "service unavailable: ";

export class FitnessQueue {
  readonly queue: Queue<FitnessJobPayload>;

  /** `jobOptions` overrides FITNESS_JOB_DEFAULTS (attempts, backoff) for this queue's jobs. */
  constructor(connection: Redis, config: QueueConfig, name: string = FITNESS_QUEUE, jobOptions: JobsOptions = {}) {
    const options = queueOptions(connection, config);
    this.queue = new Queue<FitnessJobPayload>(name, { ...options, defaultJobOptions: { ...options.defaultJobOptions, ...jobOptions } });
    // Connection errors are reported once per outage by the connection's owner (watchRedis).
    this.queue.on("error", () => undefined);
  }

  async enqueue(payload: FitnessJobPayload): Promise<EnqueueResult> {
    const data = fitnessJobPayload.parse(payload);
    return addOnce(this.queue, fitnessJobId(data.campaignId, data.hash), (opts) => this.queue.add("fitness", data, opts));
  }

  async status(campaignId: string, hash: string): Promise<JobStatus> {
    const job = await this.queue.getJob(fitnessJobId(campaignId, hash));
    if (!job) return { state: "missing" };
    const state = await job.getState();
    if (LIVE_STATES.has(state)) return { state: "pending" };
    if (state === "completed") return { state: "completed" };
    if (state === "failed") {
      const reason = job.failedReason || "job failed";
      return { state: "failed", reason, retryable: reason.startsWith(SERVICE_UNAVAILABLE_PREFIX) };
    }
    return { state: "missing" };
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}

export function createQueueEvents(connection: Redis, config: QueueConfig, name: string = FITNESS_QUEUE): QueueEvents {
  return new QueueEvents(name, { connection, prefix: config.prefix });
}
