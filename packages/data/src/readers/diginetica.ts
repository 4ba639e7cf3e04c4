// Diginetica (CIKM Cup 2016): `;`-separated files with a header.
// views `sessionId;userId;itemId;timeframe;eventdate`, purchases
// `sessionId;userId;timeframe;eventdate;ordernumber;itemId`; `NA` = no user.
// timeframe is ms since the session's start, so timestamp = eventdate + timeframe.
import { statSync } from "node:fs";
import { DataInputError } from "../errors.js";
import { isValidTimestamp, parseTimestamp, type BadRecordSink, type LogRecord, type RecordSink } from "../record.js";
import { findFile, requireExists } from "./files.js";
import { bad, readLineFile, type FileStats, type LineFormat, type ReadOptions, type LineResult } from "./lines.js";

const ID = /^\d+$/;

function user(cell: string): string | undefined {
  return cell === "NA" || cell === "" ? undefined : cell;
}

function clock(date: string, timeframe: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !ID.test(timeframe)) return Number.NaN;
  return parseTimestamp(date) + Number(timeframe);
}

function parseView(line: string): LineResult {
  const f = line.split(";");
  if (f.length !== 5) return bad(`expected 5 fields, got ${f.length}`);
  const [session = "", userId = "", item = "", timeframe = "", date = ""] = f;
  if (!ID.test(session) || !ID.test(item)) return bad("sessionId and itemId must be numeric ids");
  const timestamp = clock(date, timeframe);
  if (!isValidTimestamp(timestamp)) return bad(`bad eventdate/timeframe "${date}" "${timeframe}"`);
  return { sessionId: session, userId: user(userId), timestamp, page: item, event: "view", itemId: item } satisfies LogRecord;
}

function parsePurchase(line: string): LineResult {
  const f = line.split(";");
  if (f.length !== 6) return bad(`expected 6 fields, got ${f.length}`);
  const [session = "", userId = "", timeframe = "", date = "", , item = ""] = f;
  if (!ID.test(session) || !ID.test(item)) return bad("sessionId and itemId must be numeric ids");
  const timestamp = clock(date, timeframe);
  if (!isValidTimestamp(timestamp)) return bad(`bad eventdate/timeframe "${date}" "${timeframe}"`);
  return { sessionId: session, userId: user(userId), timestamp, page: "", event: "buy", itemId: item } satisfies LogRecord;
}

export const digineticaViews: LineFormat = {
  expected: "Diginetica item views",
  header: ["sessionId", "userId", "itemId", "timeframe", "eventdate"],
  separator: ";",
  parse: parseView,
};
export const digineticaPurchases: LineFormat = {
  expected: "Diginetica purchases",
  header: ["sessionId", "userId", "timeframe", "eventdate", "ordernumber", "itemId"],
  separator: ";",
  parse: parsePurchase,
};

/** `input` is a directory with `*item-views.csv` and `*purchases.csv`. */
export async function readDiginetica(input: string, onRecord: RecordSink, onBad: BadRecordSink, options: ReadOptions = {}): Promise<FileStats[]> {
  requireExists(input);
  if (!statSync(input).isDirectory()) throw new DataInputError("diginetica input must be a directory with the item-views and purchases files");
  const views = findFile(input, /item-views\.csv(\.gz)?$/, "Diginetica item views");
  const purchases = findFile(input, /purchases\.csv(\.gz)?$/, "Diginetica purchases");
  return [await readLineFile(views, digineticaViews, onRecord, onBad, options), await readLineFile(purchases, digineticaPurchases, onRecord, onBad, options)];
}
