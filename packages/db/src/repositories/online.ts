// The online loop's store: sessions closed by the online sessionizer, how
// far each source has been read, and the retraining batches cut from the
// closed purchase sessions. A source's cursor and the sessions it closed are
// written in one transaction, so a restart resumes exactly where the last
// commit ended: nothing read twice, nothing lost.
import type { IngestCursor, IngestOpenSession, OnlineBatch, OnlineSession, Prisma } from "../generated/prisma/client.js";
import type { Db } from "../client.js";
import { IllegalTransitionError, NotFoundError } from "../errors.js";
import { onlineBatchSourcesOf, type OnlineBatchStateName } from "../states.js";
import { isUniqueViolation } from "./prisma-errors.js";

/** A session the sessionizer closed, as it is stored. */
export interface ClosedSessionInput {
  modelName: string;
  sourceKey: string;
  /** The session's LogRecord[] in time order (JSON). */
  records: Prisma.InputJsonValue;
  firstEventAt: Date;
  lastEventAt: Date;
  hasPurchase: boolean;
}

/** A session still open when the commit was taken: kept so a restart goes on with it. */
export interface OpenSessionInput {
  /** The sessionizer's grouping key (kind and key, see the ingest package). */
  key: string;
  records: Prisma.InputJsonValue;
  firstEventAt: Date;
  lastEventAt: Date;
}

export interface IngestCommit {
  source: string;
  /** Bytes (files) or events (the API) read and fully handled after this commit. */
  position: bigint;
  /** Lines read up to `position` (0 for the API). */
  lines?: bigint;
  /** Newest event time read up to `position`. */
  watermark?: Date | null;
  closed: readonly ClosedSessionInput[];
  /** Open sessions that changed since the previous commit (upserted). */
  open: readonly OpenSessionInput[];
  /** Keys of open sessions that closed or were dropped since the previous commit. */
  removedOpenKeys: readonly string[];
}

export interface IngestCommitResult {
  /** Closed sessions newly stored; a session stored before (a replayed commit) is not counted. */
  stored: number;
  /** Of those, sessions with hasPurchase. */
  storedPurchase: number;
}

export class IngestRepository {
  constructor(private readonly db: Db) {}

  cursor(source: string): Promise<IngestCursor | null> {
    return this.db.ingestCursor.findUnique({ where: { source } });
  }

  /** The open sessions of `source` as of its last commit. */
  openSessions(source: string): Promise<IngestOpenSession[]> {
    return this.db.ingestOpenSession.findMany({ where: { source }, orderBy: [{ firstEventAt: "asc" }, { key: "asc" }] });
  }

  /**
   * One transaction: the closed sessions (a session already stored under its
   * (modelName, sourceKey, firstEventAt) is skipped), the open-session
   * changes and the cursor.
   */
  async commit(c: IngestCommit): Promise<IngestCommitResult> {
    // A batch transaction: the statements in one transaction without an interactive session's extra round trips.
    const purchase = c.closed.filter((s) => s.hasPurchase);
    const other = c.closed.filter((s) => !s.hasPurchase);
    // Open sessions in two statements whatever their number: drop the ended and the changed ones, write the changed ones again.
    const gone = [...c.removedOpenKeys, ...c.open.map((o) => o.key)];
    const cursor = { position: c.position, lines: c.lines ?? 0n, watermark: c.watermark ?? null };
    // Only the statements with work to do: an empty createMany is still a round trip.
    const ops = [
      ...(purchase.length > 0 ? [this.db.onlineSession.createMany({ data: purchase, skipDuplicates: true })] : []),
      ...(other.length > 0 ? [this.db.onlineSession.createMany({ data: other, skipDuplicates: true })] : []),
      ...(gone.length > 0 ? [this.db.ingestOpenSession.deleteMany({ where: { source: c.source, key: { in: gone } } })] : []),
      ...(c.open.length > 0 ? [this.db.ingestOpenSession.createMany({ data: c.open.map((o) => ({ source: c.source, ...o })) })] : []),
      this.db.ingestCursor.upsert({ where: { source: c.source }, create: { source: c.source, ...cursor }, update: cursor }),
    ];
    const results = await this.db.$transaction(ops);
    // Results come in the order sent: the purchase sessions' insert first, then the others'.
    const countAt = (i: number) => (results[i] as { count: number }).count;
    const storedPurchase = purchase.length > 0 ? countAt(0) : 0;
    const storedOther = other.length > 0 ? countAt(purchase.length > 0 ? 1 : 0) : 0;
    return { stored: storedPurchase + storedOther, storedPurchase };
  }
}

export interface SessionCounts {
  sessions: number;
  purchaseSessions: number;
  /** Purchase sessions closed and not yet in a batch. */
  waiting: number;
}

export class OnlineSessionRepository {
  constructor(private readonly db: Db) {}

  /** The sessions of a batch, oldest first. */
  ofBatch(batchId: string): Promise<OnlineSession[]> {
    return this.db.onlineSession.findMany({ where: { batchId }, orderBy: [{ lastEventAt: "asc" }, { id: "asc" }] });
  }

  /** The model's closed sessions in time order (by last event), optionally only those before `before`. */
  list(modelName: string, options: { before?: Date; take?: number; purchaseOnly?: boolean } = {}): Promise<OnlineSession[]> {
    return this.db.onlineSession.findMany({
      where: { modelName, ...(options.before ? { lastEventAt: { lt: options.before } } : {}), ...(options.purchaseOnly ? { hasPurchase: true } : {}) },
      orderBy: [{ lastEventAt: "asc" }, { id: "asc" }],
      ...(options.take === undefined ? {} : { take: options.take }),
    });
  }

  async counts(modelName: string): Promise<SessionCounts> {
    const [sessions, purchaseSessions, waiting] = await Promise.all([
      this.db.onlineSession.count({ where: { modelName } }),
      this.db.onlineSession.count({ where: { modelName, hasPurchase: true } }),
      this.db.onlineSession.count({ where: { modelName, hasPurchase: true, batchId: null } }),
    ]);
    return { sessions, purchaseSessions, waiting };
  }
}

export class OnlineBatchRepository {
  constructor(private readonly db: Db) {}

  async get(id: string): Promise<OnlineBatch> {
    const row = await this.db.onlineBatch.findUnique({ where: { id } });
    if (!row) throw new NotFoundError("online batch", id);
    return row;
  }

  list(modelName: string, options: { state?: OnlineBatchStateName } = {}): Promise<OnlineBatch[]> {
    return this.db.onlineBatch.findMany({ where: { modelName, ...(options.state ? { state: options.state } : {}) }, orderBy: { seq: "asc" } });
  }

  /** Batches in `state` across all models (the reconcile pass reads "queued"). */
  inState(state: OnlineBatchStateName): Promise<OnlineBatch[]> {
    return this.db.onlineBatch.findMany({ where: { state }, orderBy: [{ createdAt: "asc" }, { seq: "asc" }] });
  }

  /**
   * Cuts as many batches of `size` purchase sessions as are waiting (closed,
   * no batch yet), oldest first, each in one transaction that creates the
   * batch in state "queued" and claims exactly its sessions. Two writers
   * racing for the same sessions cannot both win: the claim counts the rows
   * it took and the loser's transaction rolls back (or loses the seq).
   */
  async cutReady(modelName: string, size: number): Promise<OnlineBatch[]> {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`batch size must be an integer >= 1, got ${size}`);
    const made: OnlineBatch[] = [];
    for (let attempt = 0; attempt < 100; ) {
      const batch = await this.cutOne(modelName, size).catch((err: unknown) => {
        if (isUniqueViolation(err) || err instanceof ClaimLostError) return "retry" as const;
        throw err;
      });
      if (batch === null) return made;
      if (batch === "retry") attempt++;
      else made.push(batch);
    }
    return made;
  }

  private cutOne(modelName: string, size: number): Promise<OnlineBatch | null> {
    return this.db.$transaction(async (tx) => {
      const waiting = await tx.onlineSession.findMany({
        where: { modelName, hasPurchase: true, batchId: null },
        orderBy: [{ lastEventAt: "asc" }, { id: "asc" }],
        take: size,
        select: { id: true },
      });
      if (waiting.length < size) return null;
      const last = await tx.onlineBatch.findFirst({ where: { modelName }, orderBy: { seq: "desc" }, select: { seq: true } });
      const batch = await tx.onlineBatch.create({ data: { modelName, seq: (last?.seq ?? 0) + 1, sessionCount: size, state: "queued" } });
      const { count } = await tx.onlineSession.updateMany({ where: { id: { in: waiting.map((w) => w.id) }, batchId: null }, data: { batchId: batch.id } });
      if (count !== size) throw new ClaimLostError();
      return batch;
    });
  }

  /** queued -> training: a worker took the batch. */
  startTraining(id: string): Promise<OnlineBatch> {
    return this.transition(id, "training");
  }

  /** training -> queued: the worker died; the batch runs again. */
  requeue(id: string): Promise<OnlineBatch> {
    return this.transition(id, "queued");
  }

  decide(id: string, at: Date = new Date()): Promise<OnlineBatch> {
    return this.transition(id, "decided", { decidedAt: at });
  }

  fail(id: string): Promise<OnlineBatch> {
    return this.transition(id, "failed");
  }

  private async transition(id: string, to: OnlineBatchStateName, data: Prisma.OnlineBatchUpdateManyMutationInput = {}): Promise<OnlineBatch> {
    const { count } = await this.db.onlineBatch.updateMany({ where: { id, state: { in: onlineBatchSourcesOf(to) } }, data: { ...data, state: to } });
    if (count === 1) return this.get(id);
    const current = await this.db.onlineBatch.findUnique({ where: { id }, select: { state: true } });
    if (!current) throw new NotFoundError("online batch", id);
    throw new IllegalTransitionError("online batch", id, current.state, to);
  }
}

/** Another writer claimed some of the sessions between the read and the claim. */
class ClaimLostError extends Error {
  override readonly name = "ClaimLostError";
}
