// The replay's input: a log read with the format's reader, grouped into
// sessions with prepare's rules (a source session id keeps its records
// together; records with only a user id split after the inactivity gap T,
// sessionStarts), in the order a live stream closes them: by their last
// event. The purchase sessions with a view before the purchase (the ones
// that become samples) fix where the first share ends; the sessions after
// that point go to ingest record by record, in time order.
import { DEFAULT_SESSIONIZER, readLog, sessionStarts, type ClosedSession, type FormatName, type LogRecord } from "@drnn/data";

export interface StreamedSession extends ClosedSession {
  lastEventAt: number;
  firstEventAt: number;
  /** A purchase with a view before it: the session gives samples. */
  sample: boolean;
}

export interface ReplayLog {
  /** Every session, by last event. */
  all: StreamedSession[];
  /** The sample sessions among them. */
  sessions: StreamedSession[];
  records: number;
  badRecords: number;
  allSessions: number;
}

function isSample(records: readonly LogRecord[]): boolean {
  const firstBuy = records.find((r) => r.event === "buy")?.timestamp;
  return firstBuy !== undefined && records.some((r) => r.event === "view" && r.timestamp < firstBuy);
}

export async function readReplayLog(format: FormatName, input: string): Promise<ReplayLog> {
  const groups = new Map<string, LogRecord[]>();
  let records = 0;
  let badRecords = 0;
  await readLog(
    format,
    input,
    (r) => {
      const key = r.sessionId !== undefined ? `s:${r.sessionId}` : r.userId !== undefined ? `u:${r.userId}` : undefined;
      if (key === undefined) return;
      records++;
      const g = groups.get(key);
      if (g === undefined) groups.set(key, [r]);
      else g.push(r);
    },
    () => badRecords++,
  );
  const sessions: StreamedSession[] = [];
  let allSessions = 0;
  for (const [key, rows] of groups) {
    rows.sort((a, b) => a.timestamp - b.timestamp);
    const order = rows.map((_, i) => i);
    const starts = sessionStarts(rows.map((r) => r.timestamp), order, DEFAULT_SESSIONIZER.gapMs, key.startsWith("u:"));
    starts.forEach((from, n) => {
      const part = rows.slice(from, starts[n + 1] ?? rows.length);
      allSessions++;
      const name = key.slice(2);
      sessions.push({ key: n === 0 ? name : `${name}#${n}`, records: part, firstEventAt: part[0]?.timestamp ?? 0, lastEventAt: part[part.length - 1]?.timestamp ?? 0, sample: isSample(part) });
    });
  }
  sessions.sort((a, b) => a.lastEventAt - b.lastEventAt || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { all: sessions, sessions: sessions.filter((s) => s.sample), records, badRecords, allSessions };
}

/** The records of the sessions that close after `after`, in time order (ties keep the sessions' order). */
export function streamAfter(log: ReplayLog, after: number): LogRecord[] {
  return log.all.filter((s) => s.lastEventAt > after).flatMap((s) => s.records).sort((a, b) => a.timestamp - b.timestamp);
}
