// The generic formats: the log record itself (DESIGN.md section 3), for a
// shop's own access log. `jsonl`: one JSON object per line. `csv`: a header
// naming the same fields (any order, comma separated, "double quotes" allowed).
//   userId?, sessionId? (at least one), timestamp (ISO-8601 or epoch ms),
//   page (required for views), event (view | cart | buy), itemId?
import { basename } from "node:path";
import { DataInputError, WrongFormatError } from "../errors.js";
import type { BadRecordSink, EventKind, LogRecord, RecordSink } from "../record.js";
import { isValidTimestamp, parseTimestamp } from "../record.js";
import { findFile } from "./files.js";
import { bad, readLineFile, splitCsv, type FileStats, type LineFormat, type ReadOptions, type LineResult } from "./lines.js";

const EVENTS = new Set<EventKind>(["view", "cart", "buy"]);
export const GENERIC_FIELDS = ["userId", "sessionId", "timestamp", "page", "event", "itemId"] as const;

type Fields = Partial<Record<(typeof GENERIC_FIELDS)[number], unknown>>;

function text(v: unknown): string | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return typeof v === "string" && v.length > 0 ? v : undefined;
}

/** Validates one record of the generic shape; shared by jsonl and csv. */
export function toRecord(f: Fields): LineResult {
  const event = f.event as EventKind;
  if (!EVENTS.has(event)) return bad(`event must be view, cart or buy, got ${JSON.stringify(f.event)}`);
  const timestamp = typeof f.timestamp === "number" ? f.timestamp : parseTimestamp(String(f.timestamp ?? ""));
  if (!isValidTimestamp(timestamp)) return bad(`bad timestamp ${JSON.stringify(f.timestamp)}`);
  const userId = text(f.userId);
  const sessionId = text(f.sessionId);
  if (userId === undefined && sessionId === undefined) return bad("needs a userId or a sessionId");
  const page = text(f.page) ?? "";
  if (event === "view" && page === "") return bad("a view needs a page");
  if (/[\r\n]/.test(page)) return bad("page contains a line break");
  const itemId = text(f.itemId);
  if (event !== "view" && itemId === undefined) return bad(`a ${event} needs an itemId`);
  return { userId, sessionId, timestamp, page, event, itemId } satisfies LogRecord;
}

function parseJson(line: string): LineResult {
  let doc: unknown;
  try {
    doc = JSON.parse(line);
  } catch {
    return bad("not valid JSON (truncated line?)");
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return bad("expected one JSON object");
  return toRecord(doc as Fields);
}

export const jsonlRecords: LineFormat = { expected: "jsonl log records ({timestamp, page, event, userId|sessionId, itemId?})", parse: parseJson };

export async function readJsonl(input: string, onRecord: RecordSink, onBad: BadRecordSink, options: ReadOptions = {}): Promise<FileStats[]> {
  const file = findFile(input, /\.jsonl?(\.gz)?$/, "JSON lines");
  return [await readLineFile(file, jsonlRecords, onRecord, onBad, options)];
}

/**
 * The csv line format of one file: its first line is the header, read first
 * so the columns may come in any order (parse returns no record for it).
 */
export function csvRecords(file: string): LineFormat {
  let columns: string[] | undefined;
  const format: LineFormat = {
    expected: `csv log records (header with ${GENERIC_FIELDS.join(",")})`,
    parse(line) {
      const cells = splitCsv(line, ",");
      if (columns === undefined) {
        const names = cells.map((c) => c.trim());
        const known = new Set<string>(GENERIC_FIELDS);
        if (names.some((c) => !known.has(c)) || !names.includes("timestamp") || !names.includes("event")) {
          throw new WrongFormatError(format.expected, basename(file), `header is "${line.slice(0, 80)}"`);
        }
        columns = names;
        return [];
      }
      if (cells.length !== columns.length) return bad(`expected ${columns.length} fields, got ${cells.length}`);
      const fields: Record<string, string> = {};
      columns.forEach((c, i) => (fields[c] = cells[i] ?? ""));
      return toRecord(fields);
    },
  };
  return format;
}

export async function readCsv(input: string, onRecord: RecordSink, onBad: BadRecordSink, options: ReadOptions = {}): Promise<FileStats[]> {
  const file = findFile(input, /\.csv(\.gz)?$/, "CSV");
  return [await readLineFile(file, csvRecords(file), onRecord, onBad, options)];
}

/**
 * Stored records (JSON, e.g. a session's records in the database) back to
 * LogRecords, through the same check as a log line; throws on the first bad one.
 */
export function logRecordsFromJson(value: unknown): LogRecord[] {
  if (!Array.isArray(value)) throw new DataInputError(`stored records must be an array, got ${typeof value}`);
  return value.map((v, i) => {
    const r = typeof v === "object" && v !== null && !Array.isArray(v) ? toRecord(v as Fields) : bad("not an object");
    if ("bad" in r) throw new DataInputError(`stored record ${i}: ${r.bad}`);
    if (Array.isArray(r)) throw new DataInputError(`stored record ${i}: expected one record`);
    return r;
  });
}
