// The sessionizer's rules (paper section II, DESIGN.md section 3), in one
// place for both sessionizers: the offline one of `data prepare`
// (sessionizer.ts, whole groups from bucket files) and the online one of
// `drnn ingest` and the serving API (online-sessionizer.ts, record by record).
//  - the grouping key: the source's session id when there is one, else the
//    user id (a session "7" is not the user "7");
//  - a gap strictly longer than T (default 30 min) between two consecutive
//    records of a key starts a new session; inside source sessions only on
//    request offline (online always: in a stream the timeout is the only way
//    to know that a session has ended);
//  - the n-th piece a key is cut into is named key#n (the first: key);
//  - the session's user is the first record that names one;
//  - a group without any page view is not a session.
import type { LogRecord } from "./record.js";
import { DEFAULT_DWELL, toSession, type DwellOptions, type Session, type SessionEvents } from "./session.js";
import { sessionOf } from "./online/sessions.js";

export interface SessionizerOptions {
  /** Inactivity that ends a session, ms (T; default 30 min). */
  gapMs: number;
  /** Apply the gap rule inside source sessions too (default false). */
  splitSourceSessions: boolean;
  dwell: DwellOptions;
}

export const DEFAULT_SESSIONIZER: SessionizerOptions = { gapMs: 30 * 60_000, splitSourceSessions: false, dwell: DEFAULT_DWELL };

export interface GroupKey {
  key: string;
  /** True when `key` is the source's session id, false when it is a user id. */
  fromSession: boolean;
}

/** The grouping key: the source session when there is one, else the user. */
export function groupKey(r: LogRecord): GroupKey | undefined {
  if (r.sessionId !== undefined) return { key: r.sessionId, fromSession: true };
  if (r.userId !== undefined) return { key: r.userId, fromSession: false };
  return undefined;
}

/** Does the gap rule cut this group? Always for user groups; for source sessions on request. */
export function gapApplies(fromSession: boolean, options: Pick<SessionizerOptions, "splitSourceSessions">): boolean {
  return !fromSession || options.splitSourceSessions;
}

/** A gap strictly longer than T between consecutive records starts a new session; exactly T does not. */
export function isSessionGap(previous: number, current: number, gapMs: number): boolean {
  return current - previous > gapMs;
}

/** The name of the n-th session cut from a key's records (0: the key itself). */
export function cutSourceId(key: string, n: number): string {
  return n === 0 ? key : `${key}#${n}`;
}

/** toSession, or undefined when the group has no page view (then it is not a session). */
export function finishSession(sourceId: string, userId: string | undefined, events: SessionEvents, dwell: DwellOptions = DEFAULT_DWELL): Session | undefined {
  const session = toSession(sourceId, userId, events, dwell);
  return session.viewCount > 0 ? session : undefined;
}

/** A session the model learns from: something bought, and a page view before the first purchase. */
export function isPurchaseSession(session: Session): boolean {
  return session.bought.length > 0 && session.inputPages.length > 0;
}

/** Records in time order as a session; page and item ids are indices into the returned lists. */
export interface RecordSession {
  session: Session | undefined;
  pages: string[];
  items: string[];
}

/**
 * The same cut from LogRecords (the online path, through the online
 * package's sessionOf), interning pages and items locally; undefined when the
 * records hold no page view.
 */
export function sessionOfRecords(sourceId: string, records: readonly LogRecord[], dwell: DwellOptions = DEFAULT_DWELL): RecordSession {
  const pages: string[] = [];
  const items: string[] = [];
  const pageIds = new Map<string, number>();
  const itemIds = new Map<string, number>();
  const intern = (ids: Map<string, number>, list: string[], s: string): number => {
    let id = ids.get(s);
    if (id === undefined) ids.set(s, (id = list.push(s) - 1));
    return id;
  };
  const session = sessionOf({ key: sourceId, records }, { page: (p) => intern(pageIds, pages, p), item: (i) => intern(itemIds, items, i) }, dwell);
  return { session: session.viewCount > 0 ? session : undefined, pages, items };
}
