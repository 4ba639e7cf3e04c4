import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { followFile, followStream, type FollowedLine } from "./follow.js";

const dirs: string[] = [];
function file(content: string | Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), "drnn-follow-"));
  dirs.push(dir);
  const path = join(dir, "log.jsonl");
  writeFileSync(path, content);
  return path;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function all(gen: AsyncGenerator<FollowedLine[]>): Promise<FollowedLine[]> {
  const out: FollowedLine[] = [];
  for await (const batch of gen) out.push(...batch);
  return out;
}

describe("following a log by byte offset", () => {
  it("gives each line with its number and the offset after it; an unterminated last line at the end", async () => {
    const path = file("a\r\nbé\n\nlast");
    expect(await all(followFile(path, { chunkBytes: 3 }))).toEqual([
      { text: "a", line: 1, end: 3 },
      { text: "bé", line: 2, end: 7 },
      { text: "", line: 3, end: 8 },
      { text: "last", line: 4, end: 12 },
    ]);
  });

  it("resumes at a committed offset with line numbers going on", async () => {
    const path = file("one\ntwo\nthree\n");
    expect(await all(followFile(path, { fromByte: 4, fromLine: 1 }))).toEqual([
      { text: "two", line: 2, end: 8 },
      { text: "three", line: 3, end: 14 },
    ]);
  });

  it("marks a line over the limit without holding it", async () => {
    const path = file(`ok\n${"x".repeat(50)}\nfine\n`);
    expect((await all(followFile(path, { maxLineLength: 10, chunkBytes: 7 }))).map((l) => [l.text, l.line, l.end])).toEqual([["ok", 1, 3], [null, 2, 54], ["fine", 3, 59]]);
  });

  it("following, waits for the rest of a half-written line and picks up appended lines", async () => {
    const path = file("a\nb");
    const controller = new AbortController();
    const seen: FollowedLine[] = [];
    let polls = 0;
    for await (const batch of followFile(path, { follow: true, pollMs: 5, signal: controller.signal })) {
      seen.push(...batch);
      if (batch.length === 0 && ++polls === 2) appendFileSync(path, "c\nd\n");
      if (seen.length === 3) controller.abort();
    }
    expect(seen).toEqual([
      { text: "a", line: 1, end: 2 },
      { text: "bc", line: 2, end: 5 },
      { text: "d", line: 3, end: 7 },
    ]);
  });

  it("refuses a file shorter than what was read before, and a compressed one", async () => {
    const path = file("a\n");
    await expect(all(followFile(path, { fromByte: 10 }))).rejects.toThrow(/truncated or replaced/);
    await expect(all(followFile(`${path}.gz`))).rejects.toThrow(/compressed/);
  });

  it("splits a stream's chunks the same way", async () => {
    async function* chunks() {
      yield Buffer.from("x\ny");
      yield "z\n";
      yield Buffer.from([0xc3]);
      yield Buffer.from([0xa9, 0x0a]);
    }
    expect(await all(followStream(chunks()))).toEqual([
      { text: "x", line: 1, end: 2 },
      { text: "yz", line: 2, end: 5 },
      { text: "é", line: 3, end: 8 },
    ]);
  });
});
