// The producer side of the retraining queue: what ingest calls once a batch
// of M purchase sessions is cut. The job id is the batch id, so adding the
// same batch twice is a no-op in BullMQ.
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { RETRAIN_QUEUE } from "./names.js";
import { RetrainJobSchema, type RetrainJobPayload } from "./schemas.js";
import { queueOptions, type QueueConfig } from "./connection.js";
import { addOnce, isLive, type EnqueueResult } from "./job-once.js";

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
    return addOnce(this.queue, data.batchId, (opts) => this.queue.add("retrain", data, opts));
  }

  /** True when the batch has a job that will still run (waiting, active, delayed). */
  async hasLiveJob(batchId: string): Promise<boolean> {
    return isLive(await this.queue.getJob(batchId));
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
