import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { WrongFormatError } from "../errors.js";
import type { BadRecord, LogRecord } from "../record.js";
import { readLog, type FormatName } from "./index.js";

const FIXTURES = join(import.meta.dirname, "..", "__fixtures__");

async function read(format: FormatName, input: string) {
  const records: LogRecord[] = [];
  const bad: BadRecord[] = [];
  const files = await readLog(format, input, (r) => records.push(r), (b) => bad.push(b));
  return { records, bad, files };
}

function tempDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "drnn-readers-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe("readers map each format onto the log record", () => {
  it("yoochoose: clicks are views of the item page, buys are buys, both files read", async () => {
    const { records, bad } = await read("yoochoose", join(FIXTURES, "yoochoose"));
    expect(bad).toEqual([]);
    expect(records).toHaveLength(11);
    expect(records[0]).toEqual({ sessionId: "1", timestamp: Date.parse("2014-04-01T10:00:00.000Z"), page: "100", event: "view", itemId: "100" });
    expect(records.filter((r) => r.event === "buy").map((r) => r.itemId)).toEqual(["100", "101", "300"]);
  });

  it("diginetica: eventdate + timeframe, NA is no user, header checked", async () => {
    const { records } = await read("diginetica", join(FIXTURES, "diginetica"));
    expect(records).toHaveLength(8);
    expect(records[0]).toMatchObject({ sessionId: "1", userId: undefined, page: "81766", event: "view", timestamp: Date.parse("2016-05-09") + 526309 });
    expect(records.find((r) => r.event === "buy" && r.sessionId === "2")).toMatchObject({ userId: "42", itemId: "33043" });
  });

  it("retailrocket: visitor is the user, no session id, addtocart is cart", async () => {
    const { records } = await read("retailrocket", join(FIXTURES, "retailrocket", "events.csv"));
    expect(records.map((r) => r.event)).toEqual(["view", "view", "cart", "buy", "view", "view"]);
    expect(records[0]?.sessionId).toBeUndefined();
    expect(records[0]).toMatchObject({ userId: "257597", timestamp: 1433221332117, page: "355908" });
  });

  it("otto: one line per user, clicks/carts/orders", async () => {
    const { records } = await read("otto", join(FIXTURES, "otto", "train.jsonl"));
    expect(records).toHaveLength(6);
    expect(records[3]).toEqual({ userId: "0", timestamp: 1659304960025, page: "", event: "buy", itemId: "12" });
  });

  it("jsonl and csv: the record itself, ISO or epoch-ms timestamps, quoted csv cells", async () => {
    const jsonl = await read("jsonl", join(FIXTURES, "generic", "log.jsonl"));
    expect(jsonl.records).toHaveLength(4);
    expect(jsonl.records[2]?.timestamp).toBe(1704103320000);
    expect(jsonl.records[3]?.timestamp).toBe(Date.parse("2024-01-02T07:00:00Z"));
    const csv = await read("csv", join(FIXTURES, "generic", "log.csv"));
    expect(csv.records.map((r) => r.page)).toEqual(["/c/shoes", "/p/42?ref=a,b", ""]);
    expect(csv.records[2]).toMatchObject({ event: "buy", itemId: "42", userId: "u1" });
  });
});

describe("bad input", () => {
  it("a malformed or truncated line is reported with its line number and the rest is kept", async () => {
    const dir = tempDir({
      "yoochoose-clicks.dat": "1,2014-04-01T10:00:00.000Z,100,0\n1,2014-04-01T10:00:30.000Z,10\n1,not-a-time,5,0\n2,2014-04-02T09:00:00.000Z,200,1\n2,2014-04-02T09:0",
      "yoochoose-buys.dat": "1,2014-04-01T10:04:00.000Z,100,1200,1\n",
    });
    const { records, bad } = await read("yoochoose", dir);
    expect(records).toHaveLength(3);
    expect(bad.map((b) => [b.file, b.line])).toEqual([
      ["yoochoose-clicks.dat", 2],
      ["yoochoose-clicks.dat", 3],
      ["yoochoose-clicks.dat", 5],
    ]);
  });

  it("a file in the wrong format stops at once, naming the format expected", async () => {
    const dir = tempDir({ "yoochoose-clicks.dat": "session_id;user_id;item_id;timeframe;eventdate\n1;NA;81766;526309;2016-05-09\n", "yoochoose-buys.dat": "" });
    await expect(read("yoochoose", dir)).rejects.toThrow(WrongFormatError);
    await expect(read("yoochoose", dir)).rejects.toThrow(/YOOCHOOSE clicks/);
    await expect(read("diginetica", join(FIXTURES, "yoochoose"))).rejects.toThrow(/no Diginetica item views file/);
    const wrongHeader = tempDir({ "train-item-views.csv": "a,b\n1,2\n", "train-purchases.csv": "" });
    await expect(read("diginetica", wrongHeader)).rejects.toMatchObject({ name: "WrongFormatError", expected: "Diginetica item views" });
    await expect(read("otto", join(FIXTURES, "generic", "log.jsonl"))).rejects.toThrow(/OTTO/);
  });
});
