// `drnn ingest [--follow] FILE|-`: a shop's jsonl or CSV log, line by line,
// through the readers' own line parsing (the generic record check and the
// timestamp range) into an IngestService. A file resumes at its committed
// byte offset; a malformed line is counted with its line number and skipped.
// Standard input cannot be re-read, so it has no position to resume from:
// each run reads it from its first byte (its open sessions still carry over).
import { open } from "node:fs/promises";
import { DEFAULT_MAX_LINE_LENGTH, DEFAULT_TIMESTAMP_RANGE, csvRecords, followFile, followStream, jsonlRecords, parseLine, type BadRecord, type FollowedLine, type LineFormat, type TimestampRange } from "@drnn/data";
import { DEFAULT_COMMIT_LINES, DEFAULT_COMMIT_MS } from "./defaults.js";
import type { IngestService } from "./ingest-service.js";

export const INGEST_FORMATS = ["jsonl", "csv"] as const;
export type IngestFormat = (typeof INGEST_FORMATS)[number];

export function isIngestFormat(name: string): name is IngestFormat {
  return (INGEST_FORMATS as readonly string[]).includes(name);
}

export interface IngestLogOptions {
  /** A file path, or "-" for standard input. */
  input: string;
  format: IngestFormat;
  /** Keep reading as the file grows (default: stop at its end and close every open session). */
  follow: boolean;
  service: IngestService;
  commitLines?: number;
  commitMs?: number;
  /** Bad lines listed in the result (all are counted). */
  maxBadReported?: number;
  timestampRange?: TimestampRange;
  maxLineLength?: number;
  /** Stops reading; what was read is committed first. */
  signal?: AbortSignal;
  /** Standard input's stream (default process.stdin). */
  stdin?: AsyncIterable<Buffer | string>;
  pollMs?: number;
  onBadLine?: (bad: BadRecord) => void;
  onProgress?: (p: IngestProgress) => void;
  progressMs?: number;
  now?: () => number;
}

export interface IngestProgress {
  lines: number;
  records: number;
  badLines: number;
  openSessions: number;
  storedSessions: number;
  storedPurchaseSessions: number;
  batches: number;
}

export interface IngestLogResult extends IngestProgress {
  input: string;
  format: IngestFormat;
  /** Byte offset and line the run started at (a resumed file: its committed cursor). */
  resumedAt: { byte: number; line: number };
  /** Byte offset committed at the end. */
  position: number;
  /** Lines read in this run. */
  linesRead: number;
  bad: BadRecord[];
  openRecords: number;
  droppedGroups: number;
  droppedRecords: number;
  jobsEnqueued: number;
  commits: number;
  /** How the run ended: the end of the input, or a stop signal. */
  ended: "end" | "signal";
  seconds: number;
}

function lineFormat(format: IngestFormat, input: string): LineFormat {
  return format === "csv" ? csvRecords(input) : jsonlRecords;
}

/** The first line of a file (a resumed CSV's header). */
async function firstLine(path: string): Promise<string> {
  const handle = await open(path, "r");
  try {
    const buf = Buffer.alloc(64 << 10);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    const text = buf.subarray(0, bytesRead).toString("utf8");
    const nl = text.indexOf("\n");
    return (nl < 0 ? text : text.slice(0, nl)).replace(/\r$/, "");
  } finally {
    await handle.close();
  }
}

// eslint-disable-next-line max-lines-per-function -- one read loop: lines, idle polls, commits and the end, in order
export async function ingestLog(o: IngestLogOptions): Promise<IngestLogResult> {
  const now = o.now ?? Date.now;
  const began = now();
  const { service } = o;
  const stdin = o.input === "-";
  const fromByte = stdin ? 0 : Number(service.resumePosition);
  const fromLine = stdin ? 0 : Number(service.resumeLines);
  const format = lineFormat(o.format, o.input);
  const range = o.timestampRange ?? DEFAULT_TIMESTAMP_RANGE;
  const bad: BadRecord[] = [];
  const file = stdin ? "stdin" : o.input;
  let badLines = 0;
  let lastLine = fromLine;
  let position = fromByte;
  let lastCommit = now();
  let lastRecordAt = now();
  let lastProgress = now();
  let dirty = false;
  const commitLines = o.commitLines ?? DEFAULT_COMMIT_LINES;
  const commitMs = o.commitMs ?? DEFAULT_COMMIT_MS;
  // A resumed CSV starts past its header: read it first so the columns are known.
  if (o.format === "csv" && fromByte > 0) format.parse(await firstLine(o.input));
  const progress = (): IngestProgress => ({
    lines: lastLine,
    records: service.totals.records,
    badLines,
    openSessions: service.openSessions,
    storedSessions: service.totals.storedSessions,
    storedPurchaseSessions: service.totals.storedPurchaseSessions,
    batches: o.service.batchesCut,
  });
  const commit = async () => {
    await service.commit();
    lastCommit = now();
    dirty = false;
  };
  const take = (l: FollowedLine) => {
    lastLine = l.line;
    position = l.end;
    dirty = true;
    const result = l.text === null ? { bad: `line longer than ${o.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH} bytes` } : l.text === "" ? [] : parseLine(format, l.text, range);
    if ("bad" in result) {
      badLines++;
      const b = { file, line: l.line, reason: result.bad };
      if (bad.length < (o.maxBadReported ?? 100)) bad.push(b);
      o.onBadLine?.(b);
      service.skipTo(BigInt(l.end), BigInt(l.line));
      return;
    }
    const records = Array.isArray(result) ? result : [result];
    if (records.length === 0) service.skipTo(BigInt(l.end), BigInt(l.line));
    for (const r of records) service.add(r, BigInt(l.end), BigInt(l.line));
    if (records.length > 0) lastRecordAt = now();
  };
  const lines = stdin
    ? followStream(o.stdin ?? process.stdin, { ...(o.maxLineLength ? { maxLineLength: o.maxLineLength } : {}), ...(o.signal ? { signal: o.signal } : {}) })
    : followFile(o.input, { fromByte, fromLine, follow: o.follow, ...(o.pollMs ? { pollMs: o.pollMs } : {}), ...(o.maxLineLength ? { maxLineLength: o.maxLineLength } : {}), ...(o.signal ? { signal: o.signal } : {}) });
  for await (const batch of lines) {
    if (batch.length === 0) service.advanceIdle(now() - lastRecordAt);
    for (const l of batch) {
      take(l);
      // Commits fall between lines, so a committed position always ends a whole line.
      if (service.uncommitted >= commitLines) await commit();
    }
    if ((dirty || service.hasPendingSessions) && now() - lastCommit >= commitMs) await commit();
    if (o.onProgress && now() - lastProgress >= (o.progressMs ?? 2000)) {
      lastProgress = now();
      o.onProgress(progress());
    }
    if (o.signal?.aborted === true) break;
  }
  const ended = o.signal?.aborted === true ? "signal" : "end";
  // The end of the input (not a stop): every session it opened is over.
  if (ended === "end") service.closeAll();
  await commit();
  return {
    ...progress(),
    input: o.input,
    format: o.format,
    resumedAt: { byte: fromByte, line: fromLine },
    position,
    linesRead: lastLine - fromLine,
    bad,
    openRecords: service.openRecords,
    droppedGroups: service.totals.droppedGroups,
    droppedRecords: service.totals.droppedRecords,
    jobsEnqueued: service.jobsEnqueued,
    commits: service.totals.commits,
    ended,
    seconds: Math.round((now() - began) / 10) / 100,
  };
}
