// Streaming line reading shared by every reader: one pass, one line in memory
// at a time, line numbers for the bad-record report, and the early format
// check that stops a run fed the wrong files.
import { createReadStream, statSync } from "node:fs";
import { basename } from "node:path";
import { createGunzip } from "node:zlib";
import { DataInputError, WrongFormatError } from "../errors.js";
import { DEFAULT_TIMESTAMP_RANGE, inTimestampRange, type BadRecordSink, type LogRecord, type RecordSink, type TimestampRange } from "../record.js";

/** What a line parser returns: records (a JSON line may hold many) or why it is bad. */
export type LineResult = LogRecord | LogRecord[] | { bad: string };

export interface LineFormat {
  /** Format name used in the wrong-format message, e.g. "YOOCHOOSE clicks". */
  expected: string;
  /** Exact header columns when the format has a header line. */
  header?: readonly string[];
  separator?: string;
  parse(line: string): LineResult;
}

export interface FileStats {
  file: string;
  bytes: number;
  lines: number;
  records: number;
  badRecords: number;
}

/** Lines looked at before deciding that a file is in the wrong format. */
const SNIFF_LINES = 10;

/** Longest line read (characters); a longer one is a bad record, skipped without being held in memory. */
export const DEFAULT_MAX_LINE_LENGTH = 16 << 20;

export interface ReadOptions {
  /** Records outside this range are bad records (default 1990 to 2100). */
  timestampRange?: TimestampRange;
  maxLineLength?: number;
}

/** A line cut short by the length limit: only its length so far is kept. */
interface Overlong {
  overlong: number;
}

export function bad(reason: string): { bad: string } {
  return { bad: reason };
}

export function fileBytes(path: string): number {
  return statSync(path).size;
}

function normaliseHeader(cell: string): string {
  return cell.trim().replace(/^\uFEFF/, "").replace(/_/g, "").toLowerCase();
}

function checkHeader(format: LineFormat, line: string, file: string): void {
  const expected = format.header ?? [];
  const got = line.split(format.separator ?? ",").map(normaliseHeader);
  const want = expected.map(normaliseHeader);
  if (got.length !== want.length || got.some((c, i) => c !== want[i])) {
    throw new WrongFormatError(format.expected, file, `header is "${line.slice(0, 80)}", expected "${expected.join(format.separator ?? ",")}"`);
  }
}

/**
 * Streams one file (gzip if it ends in .gz) through `format.parse`.
 * A file whose first lines all fail to parse is in the wrong format: that
 * throws at once. Later bad lines are reported and skipped.
 */
export async function readLineFile(
  path: string,
  format: LineFormat,
  onRecord: RecordSink,
  onBad: BadRecordSink,
  options: ReadOptions = {},
): Promise<FileStats> {
  const file = basename(path);
  const stats: FileStats = { file, bytes: fileBytes(path), lines: 0, records: 0, badRecords: 0 };
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  const input = path.endsWith(".gz") ? raw.pipe(createGunzip()) : raw;
  // Node's string decoder keeps a UTF-8 character split across chunks whole.
  input.setEncoding("utf8");
  let sawHeader = format.header === undefined;
  let decided = false; // has any data line parsed yet?
  const held: { line: number; reason: string }[] = [];
  const range = options.timestampRange ?? DEFAULT_TIMESTAMP_RANGE;
  const maxLine = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
  const emit = (r: LogRecord): void => {
    stats.records++;
    onRecord(r);
  };
  try {
    for await (const batch of lineBatches(input, maxLine)) for (const rawLine of batch) {
      stats.lines++;
      if (typeof rawLine !== "string") {
        if (!sawHeader) throw new WrongFormatError(format.expected, file, `the header line is longer than ${maxLine} characters`);
        stats.badRecords++;
        onBad({ file, line: stats.lines, reason: `line longer than ${maxLine} characters (${rawLine.overlong} read before skipping)` });
        continue;
      }
      const line = rawLine.endsWith("\r") ? rawLine.slice(0, -1) : rawLine;
      if (!sawHeader) {
        checkHeader(format, line, file);
        sawHeader = true;
        continue;
      }
      if (line.length === 0) continue;
      const result = parseLine(format, line, range);
      if ("bad" in result) {
        stats.badRecords++;
        if (decided) onBad({ file, line: stats.lines, reason: result.bad });
        else held.push({ line: stats.lines, reason: result.bad });
        if (!decided && held.length >= SNIFF_LINES) throw wrongFormat(format, file, held);
        continue;
      }
      if (!decided) {
        decided = true;
        for (const h of held) onBad({ file, line: h.line, reason: h.reason });
      }
      if (Array.isArray(result)) result.forEach(emit);
      else emit(result);
    }
  } catch (err) {
    if (err instanceof WrongFormatError || err instanceof DataInputError) throw err;
    // A truncated .gz or an unreadable file: say which one.
    throw new DataInputError(`${file}: cannot read line ${stats.lines + 1}: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    raw.destroy();
  }
  if (!sawHeader) throw new WrongFormatError(format.expected, file, "the file is empty");
  if (!decided && held.length > 0) throw wrongFormat(format, file, held);
  return stats;
}

/**
 * One data line through the format's parser and the timestamp-range check:
 * what every reader does with a line, also used line by line by `drnn ingest`.
 */
export function parseLine(format: LineFormat, line: string, range: TimestampRange = DEFAULT_TIMESTAMP_RANGE): LineResult {
  return checked(parseSafely(format, line), range);
}

/** A parser that throws (a bug, or input it did not foresee) makes a bad record, not an aborted run. */
function parseSafely(format: LineFormat, line: string): LineResult {
  try {
    return format.parse(line);
  } catch (err) {
    if (err instanceof WrongFormatError) throw err;
    return bad(`unreadable record (${err instanceof Error ? `${err.name}: ${err.message}` : String(err)})`);
  }
}

/** Records outside the timestamp range make the whole line bad. */
function checked(result: LineResult, range: TimestampRange): LineResult {
  if ("bad" in result) return result;
  for (const r of Array.isArray(result) ? result : [result]) {
    if (!inTimestampRange(r.timestamp, range)) {
      return bad(`timestamp ${r.timestamp} (${Number.isFinite(r.timestamp) && Math.abs(r.timestamp) < 8.64e15 ? new Date(r.timestamp).toISOString() : "not a date"}) outside ${new Date(range.from).toISOString()} .. ${new Date(range.to).toISOString()}`);
    }
  }
  return result;
}

/**
 * Lines of a stream, a chunk at a time: the async step happens once per
 * megabyte, not once per line (readline's per-line await tripled read time).
 * A line longer than `maxLine` comes out as an Overlong marker; its text is
 * dropped as it streams past, so memory stays at one chunk plus `maxLine`.
 */
async function* lineBatches(input: AsyncIterable<Buffer | string>, maxLine: number): AsyncGenerator<(string | Overlong)[]> {
  let rest = "";
  let skipped = -1; // characters of an overlong line dropped so far, -1 when not skipping
  for await (const chunk of input) {
    let text = String(chunk);
    const out: (string | Overlong)[] = [];
    if (skipped >= 0) {
      const nl = text.indexOf("\n");
      if (nl < 0) {
        skipped += text.length;
        continue;
      }
      out.push({ overlong: skipped + nl });
      skipped = -1;
      text = text.slice(nl + 1);
    }
    const lines = (rest + text).split("\n");
    rest = lines.pop() ?? "";
    for (const l of lines) out.push(l.length > maxLine ? { overlong: l.length } : l);
    if (rest.length > maxLine) {
      skipped = rest.length;
      rest = "";
    }
    yield out;
  }
  if (skipped >= 0) yield [{ overlong: skipped }];
  else if (rest.length > 0) yield [rest.length > maxLine ? { overlong: rest.length } : rest];
}

function wrongFormat(format: LineFormat, file: string, held: { line: number; reason: string }[]): WrongFormatError {
  const first = held[0];
  return new WrongFormatError(format.expected, file, `no readable record in its first ${held.length} lines (line ${first?.line}: ${first?.reason})`);
}

/** Splits a CSV line, honouring double-quoted fields ("" inside quotes is a quote). */
export function splitCsv(line: string, separator: string): string[] {
  if (!line.includes('"')) return line.split(separator);
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') { cell += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === separator) { cells.push(cell); cell = ""; }
    else cell += ch;
  }
  cells.push(cell);
  return cells;
}
