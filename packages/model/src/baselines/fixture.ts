// A small hand-made shop log for the metrics and baseline tests: 40 buying
// sessions in time order. Session i views items a, b, a (so S-POP ranks a
// first) and buys a; one popular item "z" is also bought in every fourth
// session, so plain popularity ranks "z" first and misses most purchases.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadDataset, prepareDataset, type Dataset } from "@drnn/data";

export async function buildShopFixture(options: { users?: boolean } = {}): Promise<Dataset> {
  const dir = mkdtempSync(join(tmpdir(), "drnn-model-fixture-"));
  const lines: string[] = [];
  const t0 = Date.UTC(2026, 0, 1);
  for (let i = 0; i < 40; i++) {
    const start = t0 + i * 3_600_000;
    const a = `i${i % 8}`;
    const b = `i${(i + 3) % 8}`;
    const who = options.users ? { userId: `u${i % 5}` } : {};
    const rec = (dt: number, event: string, item: string) =>
      JSON.stringify({ ...who, sessionId: `s${i}`, timestamp: start + dt * 1000, page: `/item/${item}`, event, itemId: item });
    lines.push(rec(0, "view", a), rec(40, "view", b), rec(90, "view", a), rec(120, "buy", a));
    if (i % 4 === 0) lines.push(rec(130, "buy", "z"));
  }
  writeFileSync(join(dir, "log.jsonl"), `${lines.join("\n")}\n`);
  const out = join(dir, "dataset");
  await prepareDataset({ format: "jsonl", input: join(dir, "log.jsonl"), out });
  return loadDataset(out);
}
