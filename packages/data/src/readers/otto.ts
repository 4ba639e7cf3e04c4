// OTTO (Kaggle 2022): JSON lines `{"session":n,"events":[{"aid","ts","type"}]}`.
// An OTTO "session" is four weeks of one user, so it becomes the user id and
// visits are cut by the 30-minute rule.
import type { BadRecordSink, EventKind, LogRecord, RecordSink } from "../record.js";
import { findFile } from "./files.js";
import { bad, readLineFile, type FileStats, type LineFormat, type ReadOptions, type LineResult } from "./lines.js";

const EVENTS: Record<string, EventKind> = { clicks: "view", carts: "cart", orders: "buy" };
/** Below this a ts is in seconds (the Kaggle parquet files), above it in ms. */
const SECONDS_LIMIT = 1e11;

function parseLine(line: string): LineResult {
  let doc: unknown;
  try {
    doc = JSON.parse(line);
  } catch {
    return bad("not valid JSON (truncated line?)");
  }
  const { session, events } = (doc ?? {}) as { session?: unknown; events?: unknown };
  if (typeof session !== "number" || !Array.isArray(events)) return bad('expected {"session": n, "events": [...]}');
  const user = String(session);
  const records: LogRecord[] = [];
  for (const [i, e] of (events as ({ aid?: unknown; ts?: unknown; type?: unknown } | null)[]).entries()) {
    if (typeof e !== "object" || e === null || Array.isArray(e)) return bad(`event ${i} is ${JSON.stringify(e)}, not an object`);
    const event = typeof e.type === "string" ? EVENTS[e.type] : undefined;
    if (typeof e.aid !== "number" || typeof e.ts !== "number" || event === undefined) return bad("event without numeric aid/ts or known type");
    const item = String(e.aid);
    const timestamp = e.ts < SECONDS_LIMIT ? e.ts * 1000 : e.ts;
    records.push({ userId: user, timestamp, page: event === "view" ? item : "", event, itemId: item });
  }
  return records;
}

export const ottoSessions: LineFormat = { expected: "OTTO sessions JSON lines", parse: parseLine };

export async function readOtto(input: string, onRecord: RecordSink, onBad: BadRecordSink, options: ReadOptions = {}): Promise<FileStats[]> {
  const file = findFile(input, /\.jsonl(\.gz)?$/, "OTTO JSON lines");
  return [await readLineFile(file, ottoSessions, onRecord, onBad, options)];
}
