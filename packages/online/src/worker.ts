// The retraining worker: consumes the drnn-retrain queue (one job per batch,
// jobId = batch id) with retrainBatch. At start it reconciles: a batch
// queued, or left training by a process that died, without a live job gets
// its job back, so a batch whose job was lost still runs (once: the handler
// skips a decided batch). A job that fails its last attempt fails its batch.
import { Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import type { Repositories } from "@drnn/db";
import { isRedisConnectionError, RETRAIN_QUEUE, RetrainJobSchema, RetrainQueue, workerOptions, type QueueConfig, type RetrainJobPayload } from "@drnn/queue";
import { retrainBatch, type RetrainDeps, type RetrainOutcome } from "./retrain.js";
import { ONLINE_DEFAULTS } from "./settings.js";

export interface RetrainWorkerOptions {
  connection: Redis;
  config: QueueConfig;
  queueName?: string;
  concurrency?: number;
  deps: RetrainDeps;
  onOutcome?: (outcome: RetrainOutcome) => void;
  log?: (line: string) => void;
  /** How often the reconcile pass runs again while the worker is up, ms (default ONLINE_DEFAULTS.reconcileMs). */
  reconcileMs?: number;
}

export interface RetrainWorkerHandle {
  worker: Worker<RetrainJobPayload>;
  /** Batches whose job the start-up pass put back on the queue. */
  reconciled: string[];
  close(): Promise<void>;
}

/** Re-enqueues batches that are queued or training with no live job. */
export async function reconcileRetrains(repos: Repositories, queue: RetrainQueue): Promise<string[]> {
  const waiting = [...(await repos.onlineBatches.inState("queued")), ...(await repos.onlineBatches.inState("training"))];
  const added: string[] = [];
  for (const b of waiting) {
    if (await queue.hasLiveJob(b.id)) continue;
    await queue.enqueue({ batchId: b.id, modelName: b.modelName });
    added.push(b.id);
  }
  return added;
}

export async function startRetrainWorker(o: RetrainWorkerOptions): Promise<RetrainWorkerHandle> {
  const name = o.queueName ?? RETRAIN_QUEUE;
  const shutdown = new AbortController();
  const log = o.log ?? (() => undefined);
  const producer = new RetrainQueue(o.connection, o.config, name);
  const reconciled = await reconcileRetrains(o.deps.repos, producer);
  if (reconciled.length > 0) log(`re-enqueued ${reconciled.length} batch(es) that had no live job: ${reconciled.join(", ")}`);
  const processor = async (job: Job<RetrainJobPayload>) => {
    const outcome = await retrainBatch({ ...o.deps, signal: shutdown.signal, log }, RetrainJobSchema.parse(job.data));
    o.onOutcome?.(outcome);
    return outcome.kind === "decided" ? { kind: outcome.kind, outcome: outcome.decision.outcome, version: outcome.decision.candidateVersion.version } : outcome;
  };
  const worker = new Worker<RetrainJobPayload>(name, processor, workerOptions(o.connection, o.config, o.concurrency ?? ONLINE_DEFAULTS.concurrency));
  // A lost Redis connection is reported once each way by the connection's owner (watchRedis), not per retry.
  worker.on("error", (err) => void (isRedisConnectionError(err) || log(`retrain worker error: ${err.message}`)));
  worker.on("failed", (job, err) => {
    if (job === undefined) return;
    log(`retrain of batch ${job.data.batchId} failed (attempt ${job.attemptsMade}): ${err.message}`);
    if (job.attemptsMade >= (job.opts.attempts ?? 1)) void o.deps.repos.onlineBatches.fail(job.data.batchId).catch(() => undefined);
  });
  // A job BullMQ gave up on (stalled too often) leaves its batch with no job: the next pass gives it one.
  const again = setInterval(() => {
    void reconcileRetrains(o.deps.repos, producer).then(
      (ids) => ids.length > 0 && log(`re-enqueued ${ids.length} batch(es) that had no live job: ${ids.join(", ")}`),
      (err: unknown) => log(`reconcile pass failed: ${err instanceof Error ? err.message : String(err)}`),
    );
  }, o.reconcileMs ?? ONLINE_DEFAULTS.reconcileMs);
  return {
    worker,
    reconciled,
    close: async () => {
      clearInterval(again);
      shutdown.abort();
      await worker.close();
      await producer.close();
    },
  };
}
