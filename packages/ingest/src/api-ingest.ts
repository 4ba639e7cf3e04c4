// Ingest for the serving API: page views, carts and purchases arrive one
// request at a time, and each request is answered once its event is
// committed. Commits are grouped: the first event after a commit starts a
// short timer, and every event that arrives meanwhile rides on the same
// transaction. The stream's clock runs on with the wall clock between
// events, so sessions close T after their last event in real time; queued
// batches without a job are put back on the queue every so often.
import type { Repositories } from "@drnn/db";
import type { LogRecord, SessionizerOptions } from "@drnn/data";
import { BatchTrigger, type RetrainEnqueuer } from "./batches.js";
import { API_SOURCE, DEFAULT_BATCH_SESSIONS, DEFAULT_RECONCILE_MS } from "./defaults.js";
import { IngestService } from "./ingest-service.js";

export interface ApiIngestOptions {
  repos: Pick<Repositories, "ingest" | "onlineBatches">;
  modelName: string;
  queue: RetrainEnqueuer | null;
  /** One source per serving process: two processes must not share one (default "api"). */
  source?: string;
  batchSessions?: number;
  sessionizer?: SessionizerOptions;
  /** Longest an event waits for its group commit, ms (default 5). */
  commitMs?: number;
  /** How often idle sessions are checked for their timeout, ms (default 1000). */
  tickMs?: number;
  reconcileMs?: number;
  log?: (line: string) => void;
  now?: () => number;
}

export class ApiIngest {
  private timer: NodeJS.Timeout | null = null;
  private readonly ticker: NodeJS.Timeout;
  private readonly reconciler: NodeJS.Timeout;
  private lastEventAt: number;
  private closed = false;

  private constructor(
    readonly service: IngestService,
    readonly trigger: BatchTrigger,
    private readonly o: ApiIngestOptions,
  ) {
    const now = o.now ?? Date.now;
    this.lastEventAt = now();
    this.ticker = setInterval(() => this.tick(), o.tickMs ?? 1000);
    this.reconciler = setInterval(() => void this.reconcile(), o.reconcileMs ?? DEFAULT_RECONCILE_MS);
    this.ticker.unref();
    this.reconciler.unref();
  }

  static async start(o: ApiIngestOptions): Promise<ApiIngest> {
    const trigger = new BatchTrigger(o.repos, { modelName: o.modelName, batchSessions: o.batchSessions ?? DEFAULT_BATCH_SESSIONS, queue: o.queue, ...(o.log ? { log: o.log } : {}) });
    const service = await IngestService.open({ repos: o.repos, source: o.source ?? API_SOURCE, modelName: o.modelName, trigger, ...(o.sessionizer ? { sessionizer: o.sessionizer } : {}), ...(o.log ? { log: o.log } : {}) });
    const ingest = new ApiIngest(service, trigger, o);
    await ingest.reconcile();
    return ingest;
  }

  /** Resolves once the event is committed (the request is answered then). */
  record(record: LogRecord): Promise<void> {
    if (this.closed) return Promise.reject(new Error("ingest is closed"));
    const stored = this.service.push(record);
    this.lastEventAt = (this.o.now ?? Date.now)();
    this.timer ??= setTimeout(() => {
      this.timer = null;
      this.service.commit().catch((err: unknown) => this.o.log?.(`commit failed: ${err instanceof Error ? err.message : String(err)}`));
    }, this.o.commitMs ?? 5);
    return stored;
  }

  /** Commits what is left (open sessions stay open, saved for the next start) and stops the timers. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.ticker);
    clearInterval(this.reconciler);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.service.commit();
  }

  private tick(): void {
    this.service.advanceIdle((this.o.now ?? Date.now)() - this.lastEventAt);
    if (this.service.hasPendingSessions && this.timer === null) this.service.commit().catch((err: unknown) => this.o.log?.(`commit failed: ${err instanceof Error ? err.message : String(err)}`));
  }

  private async reconcile(): Promise<void> {
    try {
      const n = await this.trigger.reconcile();
      if (n > 0) this.o.log?.(`put ${n} queued batch(es) without a job back on the queue`);
    } catch (err) {
      this.o.log?.(`reconcile failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
