// The online sessionizer: records arrive one at a time (a followed log, the
// serving API) and sessions close as soon as the rules say they have ended.
// The rules are session-rules.ts's, the same as `data prepare`'s:
//  - a session closes when a record of its key comes more than T after the
//    key's last record (the gap rule), or when the stream's clock (the newest
//    event time seen, or the wall clock once the stream is idle) has gone
//    more than T past its last record (the inactivity timeout);
//  - a user's session under a source session id closes as soon as that user
//    shows up under another session id (the id changed: the old one ended);
//  - in a stream the timeout is the only end a source session has, so the
//    gap rule cuts source sessions too: on a time-ordered log the sessions
//    equal `data prepare --split-source-sessions`'s (a test checks it).
// Records of a session are kept in time order (ties in arrival order, as
// offline ties go by input order). The open sessions can be taken out and
// put back, so a restarted process goes on with the sessions it had open.
import type { LogRecord } from "./record.js";
import { DEFAULT_SESSIONIZER, groupKey, isPurchaseSession, isSessionGap, sessionOfRecords, type GroupKey, type SessionizerOptions } from "./session-rules.js";
import type { Session } from "./session.js";

/** An open session as it is saved and restored. */
export interface OpenSessionState {
  /** The grouping key, encoded ("s:" + session id or "u:" + user id). */
  key: string;
  /** Its records so far, in time order. */
  records: LogRecord[];
}

export interface ClosedStreamSession {
  /** The source session id or the user id the session was keyed on. */
  sourceKey: string;
  fromSession: boolean;
  records: LogRecord[];
  first: number;
  last: number;
  session: Session;
  /** What the session's page and item ids index. */
  names: { pages: string[]; items: string[] };
  /** Bought something after at least one page view: a session the model learns from. */
  hasPurchase: boolean;
}

export interface SessionizerCounts {
  /** Records added (all kinds, including those of sessions later dropped). */
  records: number;
  /** Sessions closed with at least one view. */
  closed: number;
  /** Closed groups without any page view: not sessions, their records dropped (as offline). */
  dropped: number;
  droppedRecords: number;
}

interface Open {
  key: string;
  group: GroupKey;
  records: LogRecord[];
}

export function encodeGroupKey(g: GroupKey): string {
  return `${g.fromSession ? "s" : "u"}:${g.key}`;
}

export function decodeGroupKey(encoded: string): GroupKey {
  return { fromSession: encoded.startsWith("s:"), key: encoded.slice(2) };
}

export class OnlineSessionizer {
  /** Open sessions in the order they were last touched: the oldest activity first. */
  private readonly open = new Map<string, Open>();
  /** User id -> the encoded key of that user's open source session. */
  private readonly userSession = new Map<string, string>();
  private readonly touched = new Set<string>();
  private readonly ended = new Set<string>();
  private clock = Number.NEGATIVE_INFINITY;
  readonly counts: SessionizerCounts = { records: 0, closed: 0, dropped: 0, droppedRecords: 0 };

  constructor(
    private readonly options: SessionizerOptions = DEFAULT_SESSIONIZER,
    restore: { open?: readonly OpenSessionState[]; watermark?: number } = {},
  ) {
    if (restore.watermark !== undefined) this.clock = restore.watermark;
    const sorted = [...(restore.open ?? [])].sort((a, b) => lastOf(a.records) - lastOf(b.records) || (a.key < b.key ? -1 : 1));
    for (const o of sorted) {
      if (o.records.length === 0) continue;
      this.open.set(o.key, { key: o.key, group: decodeGroupKey(o.key), records: [...o.records] });
      this.linkUser(o.key, o.records);
      this.clock = Math.max(this.clock, lastOf(o.records));
    }
  }

  /** The newest event time seen (or set by advanceTo); -Infinity before any. */
  get watermark(): number {
    return this.clock;
  }

  get openCount(): number {
    return this.open.size;
  }

  /** Records in the open sessions. */
  get openRecords(): number {
    let n = 0;
    for (const o of this.open.values()) n += o.records.length;
    return n;
  }

  /**
   * Adds one record; returns the sessions it closed (its key's previous
   * session, a user's previous source session, and any that timed out).
   * A record with neither a session id nor a user id has no key: refused.
   */
  add(r: LogRecord): ClosedStreamSession[] {
    const group = groupKey(r);
    if (group === undefined) throw new RangeError("a record needs a sessionId or a userId");
    this.counts.records++;
    const key = encodeGroupKey(group);
    const closed: ClosedStreamSession[] = [];
    if (group.fromSession && r.userId !== undefined) {
      const previous = this.userSession.get(r.userId);
      if (previous !== undefined && previous !== key) this.closeKey(previous, closed);
    }
    const current = this.open.get(key);
    if (current !== undefined && isSessionGap(lastOf(current.records), r.timestamp, this.options.gapMs)) this.closeKey(key, closed);
    const target = this.open.get(key) ?? { key, group, records: [] };
    insertInTimeOrder(target.records, r);
    // Delete and set again: the map's order stays the order of last activity.
    this.open.delete(key);
    this.open.set(key, target);
    this.touched.add(key);
    if (group.fromSession && r.userId !== undefined) this.userSession.set(r.userId, key);
    this.clock = Math.max(this.clock, r.timestamp);
    this.expire(closed);
    return closed;
  }

  /**
   * True when the record's open session already holds an identical record
   * (same time, event, page, item and user): what a client sending an event
   * again after getting no answer looks like.
   */
  holds(r: LogRecord): boolean {
    const group = groupKey(r);
    const open = group === undefined ? undefined : this.open.get(encodeGroupKey(group));
    return open !== undefined && open.records.some((x) => x.timestamp === r.timestamp && x.event === r.event && x.page === r.page && x.itemId === r.itemId && x.userId === r.userId);
  }

  /** Moves the clock forward (an idle stream's wall clock) and closes what timed out. */
  advanceTo(time: number): ClosedStreamSession[] {
    const closed: ClosedStreamSession[] = [];
    this.clock = Math.max(this.clock, time);
    this.expire(closed);
    return closed;
  }

  /** Closes every open session (the end of a log that is not followed). */
  closeAll(): ClosedStreamSession[] {
    const closed: ClosedStreamSession[] = [];
    for (const key of [...this.open.keys()]) this.closeKey(key, closed);
    return closed;
  }

  /** Every open session, oldest activity first. */
  openSessions(): OpenSessionState[] {
    return [...this.open.values()].map((o) => ({ key: o.key, records: [...o.records] }));
  }

  /**
   * What changed since the last call: open sessions touched (their whole
   * state) and keys whose session ended. A key can be in both when its
   * session closed and a new one opened: remove first, then write.
   */
  takeChanges(): { open: OpenSessionState[]; removed: string[] } {
    const open: OpenSessionState[] = [];
    for (const key of this.touched) {
      const o = this.open.get(key);
      if (o !== undefined) open.push({ key, records: [...o.records] });
    }
    const removed = [...this.ended];
    this.touched.clear();
    this.ended.clear();
    return { open, removed };
  }

  private expire(closed: ClosedStreamSession[]): void {
    for (const o of this.open.values()) {
      if (!isSessionGap(lastOf(o.records), this.clock, this.options.gapMs)) break;
      this.closeKey(o.key, closed);
    }
  }

  private closeKey(key: string, closed: ClosedStreamSession[]): void {
    const o = this.open.get(key);
    if (o === undefined) return;
    this.open.delete(key);
    this.touched.delete(key);
    this.ended.add(key);
    for (const r of o.records) if (r.userId !== undefined && this.userSession.get(r.userId) === key) this.userSession.delete(r.userId);
    const { session, pages, items } = sessionOfRecords(o.group.key, o.records, this.options.dwell);
    if (session === undefined) {
      this.counts.dropped++;
      this.counts.droppedRecords += o.records.length;
      return;
    }
    this.counts.closed++;
    closed.push({ sourceKey: o.group.key, fromSession: o.group.fromSession, records: o.records, first: o.records[0]?.timestamp ?? 0, last: lastOf(o.records), session, names: { pages, items }, hasPurchase: isPurchaseSession(session) });
  }

  private linkUser(key: string, records: readonly LogRecord[]): void {
    if (!key.startsWith("s:")) return;
    for (const r of records) if (r.userId !== undefined) this.userSession.set(r.userId, key);
  }
}

function lastOf(records: readonly LogRecord[]): number {
  return records[records.length - 1]?.timestamp ?? Number.NEGATIVE_INFINITY;
}

/** After every record of the same or an earlier time: ties keep arrival order. */
function insertInTimeOrder(records: LogRecord[], r: LogRecord): void {
  let i = records.length;
  while (i > 0 && (records[i - 1]?.timestamp ?? 0) > r.timestamp) i--;
  records.splice(i, 0, r);
}
