// The M-trigger: once M purchase sessions of a model have closed outside any
// batch, one transaction cuts the batch (repos.onlineBatches.cutReady) and
// its retraining job goes on the queue with jobId = batch id. A crash between
// the two leaves a "queued" batch without a job; the reconcile pass (at start
// and every so often) puts those on the queue. BullMQ drops a second add of a
// live job id, so the pass may run any number of times.
import type { OnlineBatch, Repositories } from "@drnn/db";
import type { RetrainJobPayload } from "@drnn/queue";

/** What the trigger needs of the retraining queue (RetrainQueue in @drnn/queue). */
export interface RetrainEnqueuer {
  enqueue(payload: RetrainJobPayload): Promise<{ added: boolean }>;
  hasLiveJob(batchId: string): Promise<boolean>;
}

export interface BatchTriggerOptions {
  modelName: string;
  /** M: purchase sessions per batch. */
  batchSessions: number;
  /** Null: no queue configured; batches are cut and wait, queued, for a reconcile with one. */
  queue: RetrainEnqueuer | null;
  log?: (line: string) => void;
}

export class BatchTrigger {
  /** Batches cut by this process. */
  cut = 0;
  /** Jobs this process put on the queue (new ones, not dropped duplicates). */
  enqueued = 0;

  constructor(
    private readonly repos: Pick<Repositories, "onlineBatches">,
    private readonly o: BatchTriggerOptions,
  ) {
    if (!Number.isInteger(o.batchSessions) || o.batchSessions < 1) throw new RangeError(`batch sessions (M) must be an integer >= 1, got ${o.batchSessions}`);
  }

  /** Cuts every batch that is ready and enqueues its job; a queue failure leaves the batch for reconcile. */
  async cutAndEnqueue(): Promise<OnlineBatch[]> {
    const batches = await this.repos.onlineBatches.cutReady(this.o.modelName, this.o.batchSessions);
    this.cut += batches.length;
    for (const b of batches) {
      this.o.log?.(`batch ${b.seq} of ${this.o.modelName} cut: ${b.sessionCount} purchase sessions (${b.id})`);
      await this.enqueue(b);
    }
    return batches;
  }

  /** Enqueues the model's queued batches that have no live job; returns how many were put on the queue. */
  async reconcile(): Promise<number> {
    if (this.o.queue === null) return 0;
    let added = 0;
    for (const b of await this.repos.onlineBatches.list(this.o.modelName, { state: "queued" })) {
      if (await this.o.queue.hasLiveJob(b.id)) continue;
      if (await this.enqueue(b)) added++;
    }
    return added;
  }

  private async enqueue(b: OnlineBatch): Promise<boolean> {
    if (this.o.queue === null) return false;
    try {
      const { added } = await this.o.queue.enqueue({ batchId: b.id, modelName: b.modelName });
      if (added) this.enqueued++;
      return added;
    } catch (err) {
      this.o.log?.(`batch ${b.seq} (${b.id}) stays queued without a job for now: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
  }
}
