// Bad input that once aborted, leaked or slipped through: a null OTTO event,
// timestamps out of range, an overlong line, a truncated .gz, empty inputs.
// Each must be a counted bad record with its file and line, or one error
// that names the file, never a stack trace or a dataset of nothing.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { DataInputError } from "../errors.js";
import { prepareDataset } from "../prepare.js";
import type { BadRecord, LogRecord } from "../record.js";
import { readLog, type FormatName, type ReadOptions } from "./index.js";

function tempDir(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), "drnn-hardening-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

async function read(format: FormatName, input: string, options: ReadOptions = {}) {
  const records: LogRecord[] = [];
  const bad: BadRecord[] = [];
  await readLog(format, input, (r) => records.push(r), (b) => bad.push(b), options);
  return { records, bad };
}

const view = (ts: unknown, page = "p1") => JSON.stringify({ sessionId: "s1", timestamp: ts, page, event: "view" });

describe("reader hardening", () => {
  it("otto: a null (or non-object) event is a bad record with file and line, the rest is read", async () => {
    const good = JSON.stringify({ session: 1, events: [{ aid: 5, ts: 1_659_304_800, type: "clicks" }] });
    const dir = tempDir({ "otto.jsonl": [good, '{"session":2,"events":[null]}', '{"session":3,"events":[7]}', good].join("\n") });
    const { records, bad } = await read("otto", dir);
    expect(records).toHaveLength(2);
    expect(bad).toEqual([
      { file: "otto.jsonl", line: 2, reason: "event 0 is null, not an object" },
      { file: "otto.jsonl", line: 3, reason: "event 0 is 7, not an object" },
    ]);
  });

  it("timestamps out of range (negative, 1e308, month 13, Feb 30, +99:99) are bad records; the range is configurable", async () => {
    const lines = [view("2020-05-01T10:00:00Z"), view(-5), view(1e308), view("2020-13-01T10:00:00Z"), view("2021-02-30T10:00:00Z"), view("2020-05-01T10:00:00+99:99"), view("1985-01-01T00:00:00Z"), view("2020-05-01T10:00:00.000Z")];
    const dir = tempDir({ "log.jsonl": lines.join("\n") });
    const { records, bad } = await read("jsonl", dir);
    expect(records.map((r) => r.timestamp)).toEqual([Date.parse("2020-05-01T10:00:00Z"), Date.parse("2020-05-01T10:00:00Z")]);
    expect(bad.map((b) => b.line)).toEqual([2, 3, 4, 5, 6, 7]);
    expect(bad[1]?.reason).toMatch(/^timestamp 1e\+308 \(not a date\) outside 1990-01-01/);
    expect(bad.every((b) => b.file === "log.jsonl")).toBe(true);
    const wider = await read("jsonl", dir, { timestampRange: { from: Date.UTC(1980, 0, 1), to: Date.UTC(2100, 0, 1) } });
    expect(wider.records).toHaveLength(3);
  });

  it("a line over the maximum length is a bad record, skipped as it streams, wherever it ends", async () => {
    const long = view(Date.UTC(2020, 0, 1), "x".repeat(3_000_000));
    const dir = tempDir({ "log.jsonl": [view(Date.UTC(2020, 0, 1)), long, view(Date.UTC(2020, 0, 2)), long].join("\n") });
    const { records, bad } = await read("jsonl", dir, { maxLineLength: 100_000 });
    expect(records).toHaveLength(2);
    expect(bad.map((b) => [b.file, b.line])).toEqual([
      ["log.jsonl", 2],
      ["log.jsonl", 4],
    ]);
    expect(bad[0]?.reason).toMatch(/^line longer than 100000 characters/);
  });

  it("a truncated .gz is an error that names the file", async () => {
    const whole = gzipSync(Array.from({ length: 5000 }, (_, i) => view(Date.UTC(2020, 0, 1) + i)).join("\n"));
    const dir = tempDir({ "log.jsonl.gz": whole.subarray(0, Math.floor(whole.length / 2)) });
    const error = await read("jsonl", dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataInputError);
    expect((error as Error).message).toMatch(/^log\.jsonl\.gz: cannot read line \d+: unexpected end of file/);
  });

  it.each([
    ["jsonl", { "log.jsonl": "" }, /no usable record/],
    ["csv", { "log.csv": "sessionId,timestamp,page,event,itemId\n" }, /no usable record/],
    ["otto", { "otto.jsonl": "" }, /no usable record/],
    ["yoochoose", { "yoochoose-clicks.dat": "", "yoochoose-buys.dat": "" }, /no usable record/],
    ["jsonl", { "log.jsonl": [view("2020-05-01T10:00:00Z"), view("2020-05-01T10:01:00Z", "p2")].join("\n") }, /no usable session .* 0 with a purchase/],
  ] as const)("prepare refuses an input with nothing to learn from (%s)", async (format, files, message) => {
    const input = tempDir(files);
    const out = join(tempDir({}), "ds");
    const error = await prepareDataset({ format, input: format === "yoochoose" ? input : join(input, Object.keys(files)[0] ?? ""), out }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataInputError);
    expect((error as Error).message).toMatch(message);
  });

  it("keeps reading real-shaped fixtures unchanged", async () => {
    const fixture = join(import.meta.dirname, "..", "__fixtures__", "yoochoose");
    const { records, bad } = await read("yoochoose", fixture);
    expect(bad).toEqual([]);
    expect(records.length).toBeGreaterThan(0);
    expect(readFileSync(join(fixture, "yoochoose-clicks.dat"), "utf8").length).toBeGreaterThan(0);
  });
});
