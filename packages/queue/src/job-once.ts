// One job per id on a queue: the fitness queue's (campaign, chromosome) and
// the retrain queue's batch. Adding an id whose job still runs is a no-op;
// one whose job finished or failed is replaced, since BullMQ keeps that job
// for inspection and would otherwise ignore the add.
import type { Job, Queue } from "bullmq";

export interface EnqueueResult {
  jobId: string;
  /** False when a job with this id already existed: nothing new was queued. */
  added: boolean;
}

/** States in which a job still runs by itself; anything else is replaced on resubmit. */
export const LIVE_STATES: ReadonlySet<string> = new Set(["waiting", "active", "delayed", "prioritized", "waiting-children"]);

export async function isLive(job: Job | undefined): Promise<boolean> {
  return job !== undefined && LIVE_STATES.has(await job.getState());
}

/** `add` (which adds the job under `jobId`) unless the queue holds a live job of that id. */
export async function addOnce(queue: Queue, jobId: string, add: (opts: { jobId: string }) => Promise<unknown>): Promise<EnqueueResult> {
  const existing = await queue.getJob(jobId);
  if (existing) {
    if (await isLive(existing)) return { jobId, added: false };
    await existing.remove().catch(() => undefined);
  }
  await add({ jobId });
  return { jobId, added: true };
}
