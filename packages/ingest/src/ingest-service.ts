// One source's ingest: records go through the online sessionizer, and a
// commit writes, in one transaction, the sessions that closed, the open
// sessions that changed and the cursor (how far the source has been read).
// After each commit the M-trigger cuts the batches that are ready.
//
// Restart safety. The open sessions are persisted with the cursor, rather
// than re-reading the log from the first record of the oldest open session:
// re-reading from there would also re-read records of sessions that closed
// after that point (they were stored already), and telling those records
// apart would need a per-record index of what was stored. With the open
// sessions saved in the same transaction as the cursor, the state after a
// restart is exactly the state at the last commit: every record before the
// cursor is either in a stored session or in a restored open one, and every
// record after it is read again. A session closed twice (a replayed commit)
// has the same (model, key, first event) and is stored once.
import { isDatabaseUnavailable, whileUnavailable, type Repositories } from "@drnn/db";
import { DEFAULT_SESSIONIZER, OnlineSessionizer, logRecordsFromJson, type ClosedStreamSession, type LogRecord, type SessionizerOptions } from "@drnn/data";
import type { BatchTrigger } from "./batches.js";

export interface IngestServiceOptions {
  repos: Pick<Repositories, "ingest" | "onlineBatches">;
  /** "api" or the log file's path: one cursor and one set of open sessions per source. */
  source: string;
  /** The live model the stream feeds. */
  modelName: string;
  sessionizer?: SessionizerOptions;
  trigger: BatchTrigger;
  log?: (line: string) => void;
}

export interface IngestTotals {
  /** Records taken in by this process. */
  records: number;
  /** Sessions this process stored (a session stored before is not counted again). */
  storedSessions: number;
  storedPurchaseSessions: number;
  /** Closed groups without any page view: not sessions (as in data prepare). */
  droppedGroups: number;
  droppedRecords: number;
  commits: number;
  /** Events pushed again that their open session already held (client retries), not added twice. */
  duplicates: number;
}

interface Waiter {
  seq: number;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** A LogRecord without its undefined fields, as JSON stores it. */
function compact(r: LogRecord): Record<string, string | number> {
  const out: Record<string, string | number> = { timestamp: r.timestamp, page: r.page, event: r.event };
  if (r.userId !== undefined) out["userId"] = r.userId;
  if (r.sessionId !== undefined) out["sessionId"] = r.sessionId;
  if (r.itemId !== undefined) out["itemId"] = r.itemId;
  return out;
}

export class IngestService {
  private sessionizer: OnlineSessionizer;
  private pending: ClosedStreamSession[] = [];
  private position = 0n;
  private lines = 0n;
  private committedPosition = 0n;
  private seq = 0;
  private committedSeq = 0;
  private waiters: Waiter[] = [];
  private chain: Promise<void> = Promise.resolve();
  private broken: unknown = null;
  private clockAtLastRecord = Number.NEGATIVE_INFINITY;
  readonly totals: IngestTotals = { records: 0, storedSessions: 0, storedPurchaseSessions: 0, droppedGroups: 0, droppedRecords: 0, commits: 0, duplicates: 0 };

  private constructor(private readonly o: IngestServiceOptions) {
    this.sessionizer = new OnlineSessionizer(o.sessionizer ?? DEFAULT_SESSIONIZER);
  }

  /** Opens the source where its last commit left it: cursor, line count, clock and open sessions. */
  static async open(o: IngestServiceOptions): Promise<IngestService> {
    const service = new IngestService(o);
    const [cursor, open] = await Promise.all([o.repos.ingest.cursor(o.source), o.repos.ingest.openSessions(o.source)]);
    const restored = open.map((row) => ({ key: row.key, records: logRecordsFromJson(row.records) }));
    service.sessionizer = new OnlineSessionizer(o.sessionizer ?? DEFAULT_SESSIONIZER, {
      open: restored,
      ...(cursor?.watermark ? { watermark: cursor.watermark.getTime() } : {}),
    });
    service.clockAtLastRecord = service.sessionizer.watermark;
    service.position = service.committedPosition = cursor?.position ?? 0n;
    service.lines = cursor?.lines ?? 0n;
    return service;
  }

  /** Where reading resumes: bytes (files) or events (the API) committed so far. */
  get resumePosition(): bigint {
    return this.committedPosition;
  }

  get resumeLines(): bigint {
    return this.lines;
  }

  get openSessions(): number {
    return this.sessionizer.openCount;
  }

  get openRecords(): number {
    return this.sessionizer.openRecords;
  }

  /** Closed sessions waiting for the next commit. */
  get hasPendingSessions(): boolean {
    return this.pending.length > 0;
  }

  get batchesCut(): number {
    return this.o.trigger.cut;
  }

  get jobsEnqueued(): number {
    return this.o.trigger.enqueued;
  }

  /** Records added and not yet committed. */
  get uncommitted(): number {
    return this.seq - this.committedSeq;
  }

  /**
   * Takes one record in. `position` is the source's position after it
   * (bytes read for a file); without one the position counts records.
   */
  add(record: LogRecord, position?: bigint, lines?: bigint): void {
    this.pending.push(...this.sessionizer.add(record));
    this.clockAtLastRecord = this.sessionizer.watermark;
    this.totals.records++;
    this.seq++;
    this.position = position ?? this.position + 1n;
    if (lines !== undefined) this.lines = lines;
  }

  /** Moves the read position on without a record (a bad or empty line was read). */
  skipTo(position: bigint, lines?: bigint): void {
    this.position = position;
    if (lines !== undefined) this.lines = lines;
  }

  /**
   * Adds the record and resolves once a commit holds it (the API answers
   * after that). A record its open session already holds (a client's retry
   * of an event whose answer the client never got) is not added again; it
   * resolves once the commit that holds it is done.
   */
  push(record: LogRecord): Promise<void> {
    if (this.broken !== null) return Promise.reject(this.broken instanceof Error ? this.broken : new Error(String(this.broken)));
    if (this.sessionizer.holds(record)) {
      this.totals.duplicates++;
      if (this.seq === this.committedSeq) return Promise.resolve();
    } else this.add(record);
    const seq = this.seq;
    return new Promise((resolve, reject) => this.waiters.push({ seq, resolve, reject }));
  }

  /** Moves the sessionizer's clock to `time` and closes what timed out. */
  advanceClock(time: number): void {
    this.pending.push(...this.sessionizer.advanceTo(time));
  }

  /**
   * An idle stream: its clock goes on with the wall clock from the newest
   * event time, so sessions of a quiet live log still close T after their
   * last record. `idleMs`: wall time since the last record arrived.
   */
  advanceIdle(idleMs: number): void {
    if (Number.isFinite(this.clockAtLastRecord) && idleMs > 0) this.advanceClock(this.clockAtLastRecord + idleMs);
  }

  /** Closes every open session (the end of a log that is not followed). */
  closeAll(): void {
    this.pending.push(...this.sessionizer.closeAll());
  }

  /** Commits what was taken in so far, then cuts ready batches. Commits run one at a time, in order. */
  commit(): Promise<void> {
    const next = this.chain.then(() => this.commitNow());
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async commitNow(): Promise<void> {
    if (this.broken !== null) throw this.broken;
    // Taken synchronously: records added while the write is in flight go to the next commit.
    const closed = this.pending;
    this.pending = [];
    const changes = this.sessionizer.takeChanges();
    const seq = this.seq;
    const position = this.position;
    const lines = this.lines;
    const watermark = Number.isFinite(this.sessionizer.watermark) ? new Date(this.sessionizer.watermark) : null;
    const counts = { ...this.sessionizer.counts };
    const data = {
      source: this.o.source,
      position,
      lines,
      watermark,
      closed: closed.map((c) => ({ modelName: this.o.modelName, sourceKey: c.sourceKey, records: c.records.map(compact), firstEventAt: new Date(c.first), lastEventAt: new Date(c.last), hasPurchase: c.hasPurchase })),
      open: changes.open.map((s) => ({ key: s.key, records: s.records.map(compact), firstEventAt: new Date(s.records[0]?.timestamp ?? 0), lastEventAt: new Date(s.records[s.records.length - 1]?.timestamp ?? 0) })),
      removedOpenKeys: changes.removed,
    };
    let stored;
    try {
      stored = await whileUnavailable(() => this.o.repos.ingest.commit(data), {
        maxMs: Number.POSITIVE_INFINITY,
        onRetry: (err) => this.o.log?.(`commit waits for PostgreSQL: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`),
      });
    } catch (err) {
      this.fail(err);
      throw err;
    }
    this.totals.commits++;
    this.totals.storedSessions += stored.stored;
    this.totals.storedPurchaseSessions += stored.storedPurchase;
    this.totals.droppedGroups = counts.dropped;
    this.totals.droppedRecords = counts.droppedRecords;
    this.committedPosition = position;
    this.committedSeq = seq;
    this.release(seq);
    // Only new purchase sessions can complete a batch (the first commit also picks up any left from before a crash).
    if (stored.storedPurchase === 0 && this.totals.commits > 1) return;
    await this.o.trigger.cutAndEnqueue().catch((err: unknown) => {
      // The sessions are stored; the next commit (or the reconcile pass) cuts the batch.
      if (!isDatabaseUnavailable(err)) throw err;
      this.o.log?.(`cutting batches waits for PostgreSQL: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`);
    });
  }

  private release(seq: number): void {
    const done = this.waiters.filter((w) => w.seq <= seq);
    this.waiters = this.waiters.filter((w) => w.seq > seq);
    for (const w of done) w.resolve();
  }

  /**
   * A commit that failed for good: the state in memory is no longer what
   * the database holds, so nothing more may be committed from it. Waiting
   * callers are told; the owner restarts from the last commit.
   */
  private fail(err: unknown): void {
    this.broken = err;
    for (const w of this.waiters) w.reject(err);
    this.waiters = [];
  }
}
