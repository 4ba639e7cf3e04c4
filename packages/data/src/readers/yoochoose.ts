// YOOCHOOSE (RecSys Challenge 2015): two headerless comma files, clicks
// `session,timestamp,item,category` and buys `session,timestamp,item,price,quantity`.
// Sessions come with the source's ids; a click's page is the item it shows.
import { statSync } from "node:fs";
import { DataInputError } from "../errors.js";
import { isValidTimestamp, parseTimestamp, type BadRecordSink, type LogRecord, type RecordSink } from "../record.js";
import { findFile, requireExists } from "./files.js";
import { bad, readLineFile, type FileStats, type LineFormat, type ReadOptions, type LineResult } from "./lines.js";

/** Non-empty and all digits; a loop, because this runs twice per line. */
function isId(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function parseClick(line: string): LineResult {
  const f = line.split(",");
  if (f.length !== 4) return bad(`expected 4 fields (session,timestamp,item,category), got ${f.length}`);
  const [session = "", time = "", item = ""] = f;
  if (!isId(session) || !isId(item)) return bad("session and item must be numeric ids");
  const timestamp = parseTimestamp(time);
  if (!isValidTimestamp(timestamp)) return bad(`bad timestamp "${time}"`);
  return { sessionId: session, timestamp, page: item, event: "view", itemId: item } satisfies LogRecord;
}

function parseBuy(line: string): LineResult {
  const f = line.split(",");
  if (f.length !== 5) return bad(`expected 5 fields (session,timestamp,item,price,quantity), got ${f.length}`);
  const [session = "", time = "", item = "", price = "", quantity = ""] = f;
  if (!isId(session) || !isId(item)) return bad("session and item must be numeric ids");
  if (!isId(price) || !isId(quantity)) return bad("price and quantity must be integers");
  const timestamp = parseTimestamp(time);
  if (!isValidTimestamp(timestamp)) return bad(`bad timestamp "${time}"`);
  return { sessionId: session, timestamp, page: "", event: "buy", itemId: item } satisfies LogRecord;
}

export const yoochooseClicks: LineFormat = { expected: "YOOCHOOSE clicks (session,timestamp,item,category)", parse: parseClick };
export const yoochooseBuys: LineFormat = { expected: "YOOCHOOSE buys (session,timestamp,item,price,quantity)", parse: parseBuy };

/** `input` is a directory holding `*clicks*.dat` and `*buys*.dat` (optionally .gz). */
export async function readYoochoose(input: string, onRecord: RecordSink, onBad: BadRecordSink, options: ReadOptions = {}): Promise<FileStats[]> {
  requireExists(input);
  if (!statSync(input).isDirectory()) throw new DataInputError("yoochoose input must be a directory with the clicks and buys files");
  const clicks = findFile(input, /clicks.*\.dat(\.gz)?$/, "YOOCHOOSE clicks");
  const buys = findFile(input, /buys.*\.dat(\.gz)?$/, "YOOCHOOSE buys");
  // The two files are merged by the partitioner downstream, not here.
  return [await readLineFile(clicks, yoochooseClicks, onRecord, onBad, options), await readLineFile(buys, yoochooseBuys, onRecord, onBad, options)];
}
