// RetailRocket `events.csv`: `timestamp,visitorid,event,itemid,transactionid`,
// timestamps in epoch ms, events view/addtocart/transaction, no session ids
// (sessions come from the 30-minute rule per visitor).
import type { BadRecordSink, EventKind, LogRecord, RecordSink } from "../record.js";
import { findFile } from "./files.js";
import { bad, readLineFile, type FileStats, type LineFormat, type ReadOptions, type LineResult } from "./lines.js";

const EVENTS: Record<string, EventKind> = { view: "view", addtocart: "cart", transaction: "buy" };
const ID = /^\d+$/;

function parseEvent(line: string): LineResult {
  const f = line.split(",");
  if (f.length !== 5) return bad(`expected 5 fields, got ${f.length}`);
  const [time = "", visitor = "", name = "", item = ""] = f;
  const event = EVENTS[name];
  if (event === undefined) return bad(`unknown event "${name}"`);
  if (!ID.test(time) || !ID.test(visitor) || !ID.test(item)) return bad("timestamp, visitorid and itemid must be numeric");
  return { userId: visitor, timestamp: Number(time), page: event === "view" ? item : "", event, itemId: item } satisfies LogRecord;
}

export const retailrocketEvents: LineFormat = {
  expected: "RetailRocket events",
  header: ["timestamp", "visitorid", "event", "itemid", "transactionid"],
  parse: parseEvent,
};

export async function readRetailrocket(input: string, onRecord: RecordSink, onBad: BadRecordSink, options: ReadOptions = {}): Promise<FileStats[]> {
  const file = findFile(input, /events\.csv(\.gz)?$/, "RetailRocket events");
  return [await readLineFile(file, retailrocketEvents, onRecord, onBad, options)];
}
