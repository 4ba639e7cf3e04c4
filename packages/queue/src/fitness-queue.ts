// The producer side of the fitness queue: what the coordinator calls.
import { Queue, QueueEvents, type JobsOptions } from "bullmq";
import type { Redis } from "ioredis";
import { FITNESS_QUEUE, fitnessJobId } from "./names.js";
import { fitnessJobPayload, type FitnessJobPayload } from "./schemas.js";
import { queueOptions, type QueueConfig } from "./connection.js";

export interface EnqueueResult {
  jobId: string;
  /** False when a job with this id already existed: nothing new was queued. */
  added: boolean;
}

export class FitnessQueue {
  readonly queue: Queue<FitnessJobPayload>;

  /** `jobOptions` overrides FITNESS_JOB_DEFAULTS (attempts, backoff) for this queue's jobs. */
  constructor(connection: Redis, config: QueueConfig, name: string = FITNESS_QUEUE, jobOptions: JobsOptions = {}) {
    const options = queueOptions(connection, config);
    this.queue = new Queue<FitnessJobPayload>(name, { ...options, defaultJobOptions: { ...options.defaultJobOptions, ...jobOptions } });
  }

  async enqueue(payload: FitnessJobPayload): Promise<EnqueueResult> {
    const data = fitnessJobPayload.parse(payload);
    const jobId = fitnessJobId(data.campaignId, data.hash);
    const existing = await this.queue.getJob(jobId);
    if (existing) return { jobId, added: false };
    await this.queue.add("fitness", data, { jobId });
    return { jobId, added: true };
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}

export function createQueueEvents(connection: Redis, config: QueueConfig, name: string = FITNESS_QUEUE): QueueEvents {
  return new QueueEvents(name, { connection, prefix: config.prefix });
}
