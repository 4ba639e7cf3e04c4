import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadDataset, type ColumnName, type Dataset } from "../artifact.js";
import { prepareDataset } from "../prepare.js";
import type { LogRecord } from "../record.js";
import { DEFAULT_SPLIT } from "../split.js";
import { growVocabulary } from "./grow-vocabulary.js";
import type { ModelVocabulary } from "./model-vocabulary.js";
import { sessionDataset } from "./session-dataset.js";
import type { ClosedSession } from "./sessions.js";

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 1);
const view = (sessionId: string, t: number, page: string, itemId?: string): LogRecord => ({ sessionId, timestamp: T0 + t * MIN, page, event: "view", itemId });
const buy = (sessionId: string, t: number, itemId: string): LogRecord => ({ sessionId, timestamp: T0 + t * MIN, page: "", event: "buy", itemId });

/** A model that knows pages p1 (item a), p2 (item b) and item c outside its generator. */
const BASE: ModelVocabulary = {
  pages: ["<pad>", "<oov>", "p1", "p2"],
  items: ["a", "b", "c"],
  generatorItems: 2,
  pageItems: [-1, -1, 0, 1],
  itemTrainViews: [5, 3, 0],
  itemTrainBuys: [2, 1, 0],
};

/** s1, s2 train; s3 val; s4 test (split 0.5 / 0.25). */
const SESSIONS: ClosedSession[] = [
  { key: "s1", records: [view("s1", 0, "p1", "a"), view("s1", 1, "p3", "d"), buy("s1", 2, "d")] },
  { key: "s2", records: [view("s2", 10, "p2", "b"), view("s2", 12, "p4", "c"), buy("s2", 13, "c")] },
  { key: "s3", records: [view("s3", 20, "p1", "a"), buy("s3", 21, "a")] },
  { key: "s4", records: [view("s4", 30, "p5", "e"), buy("s4", 31, "e")] },
  // No purchase: counts toward nothing but the page vocabulary.
  { key: "s5", records: [view("s5", 40, "p6", "f")] },
];
const SPLIT = { train: 0.5, val: 0.25 };

describe("growVocabulary", () => {
  it("keeps every old id, appends new pages and the training period's new generator items", () => {
    const g = growVocabulary(BASE, SESSIONS, { split: SPLIT });
    expect(g.vocabulary.pages).toEqual(["<pad>", "<oov>", "p1", "p2", "p3", "p4", "p5", "p6"]);
    // c (old, copy-only) and d (new) were seen in the training period (s1, s2): they join the generator; e only in the test split.
    expect(g.vocabulary.items).toEqual(["a", "b", "c", "d", "e", "f"]);
    expect(g.vocabulary.generatorItems).toBe(4);
    expect(Array.from(g.itemRemap)).toEqual([0, 1, 2]);
    expect(Array.from(g.vocabulary.pageItems)).toEqual([-1, -1, 0, 1, 3, 2, 4, 5]);
    // Old counts plus the batch's training period: a viewed once in s1, c viewed and bought in s2.
    expect(Array.from(g.vocabulary.itemTrainViews)).toEqual([6, 4, 1, 1, 0, 0]);
    expect(Array.from(g.vocabulary.itemTrainBuys)).toEqual([2, 1, 1, 1, 0, 0]);
    expect(g).toMatchObject({ addedPages: 4, addedGeneratorItems: 2, addedItems: 3 });
  });

  it("an old id that moves (a copy-only item behind new generator items) is remapped", () => {
    const base = { ...BASE, items: ["a", "b", "z"], pageItems: [-1, -1, 0, 2] };
    const g = growVocabulary(base, SESSIONS.slice(0, 1).concat(SESSIONS.slice(2, 4)), { split: SPLIT });
    // d joins the generator at id 2, z (never seen again) moves behind it.
    expect(g.vocabulary.items.slice(0, 3)).toEqual(["a", "b", "d"]);
    expect(g.vocabulary.items[g.itemRemap[2] ?? -1]).toBe("z");
    expect(g.vocabulary.pageItems[3]).toBe(g.itemRemap[2]);
  });
});

describe("sessionDataset", () => {
  it("the same sessions give the same samples under the old and the grown vocabulary", () => {
    const grown = growVocabulary(BASE, SESSIONS, { split: SPLIT }).vocabulary;
    const old = sessionDataset(SESSIONS, BASE, { window: 2, split: SPLIT });
    const now = sessionDataset(SESSIONS, grown, { window: 2, split: SPLIT });
    expect(now.manifest.splits).toEqual({ train: { sessions: [0, 2], samples: [0, 4] }, val: { sessions: [2, 3], samples: [4, 5] }, test: { sessions: [3, 4], samples: [5, 6] } });
    expect(old.manifest.splits).toEqual(now.manifest.splits);
    // Unknown pages and items get ids after the old model's pages and items, each page with the item it shows.
    expect(Array.from(old.columns.sessionPages)).toEqual([2, 4, 3, 5, 2, 6]);
    expect(Array.from(now.columns.sessionPages)).toEqual([2, 4, 3, 5, 2, 6]);
    expect(old.pages.slice(4)).toEqual(["p3", "p4", "p5", "p6"]);
    expect(old.items.slice(3)).toEqual(["d", "e", "f"]);
    expect(Array.from(old.columns.pageItems, (i) => old.items[i] ?? null)).toEqual([null, null, "a", "b", "d", "c", "e", "f"]);
    expect(old.manifest).toMatchObject({ pageVocabulary: 4, itemVocabulary: 2, rankableItems: 6 });
    expect(Array.from(old.columns.targetItems, (i) => old.items[i])).toEqual(["d", "c", "a", "e"]);
    expect(Array.from(now.columns.targetItems, (i) => now.items[i])).toEqual(["d", "c", "a", "e"]);
    expect(now.manifest).toMatchObject({ pageVocabulary: 8, itemVocabulary: 4, rankableItems: 6 });
  });

  it("builds exactly the samples `data prepare` writes for the same log", async () => {
    const dir = mkdtempSync(join(tmpdir(), "drnn-online-"));
    const records = sessionsLog();
    writeFileSync(join(dir, "log.jsonl"), records.map((r) => JSON.stringify(r)).join("\n") + "\n");
    const prepared = loadDataset((await prepareDataset({ format: "jsonl", input: join(dir, "log.jsonl"), out: join(dir, "ds"), window: 3 })).out);
    const byKey = new Map<string, LogRecord[]>();
    for (const r of records) byKey.set(r.sessionId ?? "", [...(byKey.get(r.sessionId ?? "") ?? []), r]);
    const online = sessionDataset([...byKey].map(([key, rs]) => ({ key, records: rs })), vocabularyOf(prepared), { window: 3, split: DEFAULT_SPLIT });
    expect(online.manifest.splits).toEqual(prepared.manifest.splits);
    expect(online.sessionIds).toEqual(prepared.sessionIds);
    const same: ColumnName[] = ["sampleSession", "samplePrefix", "sampleWindow", "sampleDwell", "historyOffsets", "historyPages", "historyWeights", "sessionStart", "sessionSplit", "sessionLength", "targetOffsets", "targetItems", "sessionPages", "sessionDwell", "pageItems", "itemTrainViews", "itemTrainBuys"];
    for (const c of same) expect(Array.from(online.columns[c]), c).toEqual(Array.from(prepared.columns[c]));
  });
});

function vocabularyOf(d: Dataset): ModelVocabulary {
  return { pages: d.pages, items: d.items, generatorItems: d.manifest.itemVocabulary, pageItems: d.columns.pageItems, itemTrainViews: d.columns.itemTrainViews, itemTrainBuys: d.columns.itemTrainBuys };
}

/** Ten sessions of three to six views and a purchase, some long enough for a history state. */
function sessionsLog(): LogRecord[] {
  const out: LogRecord[] = [];
  for (let s = 0; s < 10; s++) {
    const id = `x${s}`;
    const length = 3 + (s % 4);
    for (let v = 0; v < length; v++) out.push(view(id, s * 100 + v * (1 + (s % 3)), `page-${(s * 7 + v) % 9}`, `item-${(s * 7 + v) % 9}`));
    out.push(buy(id, s * 100 + 50, `item-${(s * 3) % 9}`));
  }
  return out;
}
