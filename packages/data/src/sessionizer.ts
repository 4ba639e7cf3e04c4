// Pass 2 of the sessionizer (pass 1 is partition.ts): one bucket at a time,
// group records by key, sort each group by time, and cut it into sessions.
// The rules are session-rules.ts's, shared with the online sessionizer.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BinaryReader } from "./binary.js";
import { Partitioner } from "./partition.js";
import type { LogRecord } from "./record.js";
import type { Session } from "./session.js";
import { DEFAULT_SESSIONIZER, cutSourceId, finishSession, gapApplies, isSessionGap, type SessionizerOptions } from "./session-rules.js";
import { Interner } from "./vocabulary.js";

export { DEFAULT_SESSIONIZER, type SessionizerOptions } from "./session-rules.js";

/** One bucket file decoded into parallel columns (no object per record). */
interface Columns {
  n: number;
  seq: Uint32Array;
  ts: Float64Array;
  page: Int32Array;
  item: Int32Array;
  event: Uint8Array;
  fromSession: Uint8Array;
  key: string[];
  user: string[];
}

function decodeBucket(buf: Buffer): Columns {
  // 22 fixed bytes + two length prefixes per record bound the record count.
  const cap = Math.ceil(buf.length / 26);
  const c: Columns = {
    n: 0,
    seq: new Uint32Array(cap),
    ts: new Float64Array(cap),
    page: new Int32Array(cap),
    item: new Int32Array(cap),
    event: new Uint8Array(cap),
    fromSession: new Uint8Array(cap),
    key: [],
    user: [],
  };
  const r = new BinaryReader(buf);
  while (!r.done) {
    const i = c.n++;
    c.seq[i] = r.u32();
    c.ts[i] = r.f64();
    c.page[i] = r.i32();
    c.item[i] = r.i32();
    c.event[i] = r.u8();
    c.fromSession[i] = r.u8();
    c.key.push(r.str());
    c.user.push(r.str());
  }
  return c;
}

/**
 * Where a time-sorted group splits: indices into `order` that start a session.
 * A gap strictly longer than `gapMs` starts a new one.
 */
export function sessionStarts(timestamps: ArrayLike<number>, order: readonly number[], gapMs: number, useGap: boolean): number[] {
  const starts = [0];
  if (!useGap) return starts;
  for (let j = 1; j < order.length; j++) {
    const prev = timestamps[order[j - 1] ?? 0] ?? 0;
    const cur = timestamps[order[j] ?? 0] ?? 0;
    if (isSessionGap(prev, cur, gapMs)) starts.push(j);
  }
  return starts;
}

function emitGroup(c: Columns, rows: number[], options: SessionizerOptions, onSession: (s: Session) => void): void {
  rows.sort((a, b) => (c.ts[a] ?? 0) - (c.ts[b] ?? 0) || (c.seq[a] ?? 0) - (c.seq[b] ?? 0));
  const first = rows[0] ?? 0;
  const key = c.key[first] ?? "";
  const useGap = gapApplies(c.fromSession[first] === 1, options);
  const starts = sessionStarts(c.ts, rows, options.gapMs, useGap);
  starts.forEach((start, n) => {
    const part = rows.slice(start, starts[n + 1] ?? rows.length);
    // The session's user: the first row that names one (Diginetica's views often do not).
    const userRow = part.find((i) => (c.user[i] ?? "") !== "");
    const session = finishSession(
      cutSourceId(key, n),
      userRow === undefined ? undefined : c.user[userRow],
      {
        timestamps: part.map((i) => c.ts[i] ?? 0),
        events: part.map((i) => c.event[i] ?? 0),
        pages: part.map((i) => c.page[i] ?? -1),
        items: part.map((i) => c.item[i] ?? -1),
      },
      options.dwell,
    );
    if (session !== undefined) onSession(session);
  });
}

/** Sessionizes one bucket file; sessions come out in first-seen order (deterministic). */
export function sessionizeBucket(path: string, options: SessionizerOptions, onSession: (s: Session) => void): void {
  const c = decodeBucket(readFileSync(path));
  // Session keys and user keys live apart: a session "7" is not the user "7".
  const bySession = new Map<string, number[]>();
  const byUser = new Map<string, number[]>();
  for (let i = 0; i < c.n; i++) {
    const groups = c.fromSession[i] === 1 ? bySession : byUser;
    const k = c.key[i] ?? "";
    let g = groups.get(k);
    if (g === undefined) groups.set(k, (g = []));
    g.push(i);
  }
  for (const rows of bySession.values()) emitGroup(c, rows, options, onSession);
  for (const rows of byUser.values()) emitGroup(c, rows, options, onSession);
}

/**
 * In-memory convenience over the same two passes, for tests and small logs:
 * returns the sessions with their provisional ids and the interners that name them.
 */
export function sessionizeRecords(
  records: Iterable<LogRecord>,
  options: Partial<SessionizerOptions> = {},
): { sessions: Session[]; pages: Interner; items: Interner } {
  const dir = mkdtempSync(join(tmpdir(), "drnn-sessionize-"));
  try {
    const pages = new Interner();
    const items = new Interner();
    const partitioner = new Partitioner(dir, 1);
    for (const r of records) {
      partitioner.add(r, r.event === "view" ? pages.add(r.page) : -1, r.itemId === undefined ? -1 : items.add(r.itemId));
    }
    const sessions: Session[] = [];
    for (const path of partitioner.finish()) sessionizeBucket(path, { ...DEFAULT_SESSIONIZER, ...options }, (s) => sessions.push(s));
    return { sessions, pages, items };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
