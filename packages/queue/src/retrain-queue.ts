// The producer side of the retraining queue: what ingest calls once a batch
// of M purchase sessions is cut. The job id is the batch id, so adding the
// same batch twice is a no-op in BullMQ.
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { RETRAIN_QUEUE } from "./names.js";
import { RetrainJobSchema, type RetrainJobPayload } from "./schemas.js";
import { queueOptions, type QueueConfig } from "./connection.js";
import type { EnqueueResult } from "./fitness-queue.js";

// States in which a job still runs by itself; anything else is replaced on resubmit.
const LIVE_STATES = new Set(["waiting", "active", "delayed", "prioritized", "waiting-children"]);

export class RetrainQueue {
  readonly queue: Queue<RetrainJobPayload>;

  constructor(connection: Redis, config: QueueConfig, name: string = RETRAIN_QUEUE) {
    this.queue = new Queue<RetrainJobPayload>(name, queueOptions(connection, config));
    // Connection errors are reported once per outage by the connection's owner (watchRedis).
    this.queue.on("error", () => undefined);
  }

  /** Puts the batch's job on the queue unless a live one exists (a finished or failed one is replaced). */
  async enqueue(payload: RetrainJobPayload): Promise<EnqueueResult> {
    const data = RetrainJobSchema.parse(payload);
    const jobId = data.batchId;
    const existing = await this.queue.getJob(jobId);
    if (existing) {
      if (LIVE_STATES.has(await existing.getState())) return { jobId, added: false };
      await existing.remove().catch(() => undefined);
    }
    await this.queue.add("retrain", data, { jobId });
    return { jobId, added: true };
  }

  /** True when the batch has a job that will still run (waiting, active, delayed). */
  async hasLiveJob(batchId: string): Promise<boolean> {
    const job = await this.queue.getJob(batchId);
    return job !== undefined && LIVE_STATES.has(await job.getState());
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
