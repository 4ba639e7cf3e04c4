import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadDataset, registeredStats, sampleHistory, samplePrefixPages, sampleTargets, samplePurchaseHistory, sampleWindow } from "./artifact.js";
import { prepareDataset } from "./prepare.js";

const FIXTURES = join(import.meta.dirname, "__fixtures__");
const tmp = (): string => mkdtempSync(join(tmpdir(), "drnn-prepare-test-"));

describe("prepareDataset on the YOOCHOOSE fixture", () => {
  it("the paper's item set: the generator covers the items bought in the training period only", async () => {
    const d = loadDataset((await prepareDataset({ format: "yoochoose", input: join(FIXTURES, "yoochoose"), out: join(tmp(), "ds"), itemSet: "bought" })).out);
    expect(d.items.slice(0, d.manifest.itemVocabulary)).toEqual(["100", "101"]);
    expect(d.manifest.rankableItems).toBe(6);
  });

  it("min item count keeps rare items out of the generator's set, not out of the candidate set", async () => {
    const d = loadDataset((await prepareDataset({ format: "yoochoose", input: join(FIXTURES, "yoochoose"), out: join(tmp(), "ds"), minItemCount: 2 })).out);
    expect(d.items.slice(0, d.manifest.itemVocabulary)).toEqual(["100", "101"]);
    expect(d.items).toHaveLength(6);
    await expect(prepareDataset({ format: "yoochoose", input: join(FIXTURES, "yoochoose"), out: join(tmp(), "ds"), minItemCount: 0 })).rejects.toMatchObject({ name: "DataInputError" });
  });

  it("counts sessions and purchase sessions and writes the samples", async () => {
    const out = join(tmp(), "ds");
    const r = await prepareDataset({ format: "yoochoose", input: join(FIXTURES, "yoochoose"), out, window: 2 });
    // Session 3 has a 2 h gap but keeps its source id: still one session.
    expect(r).toMatchObject({ sessions: 3, purchaseSessions: 2, sampleSessions: 2, badRecords: 0, pages: 6 });
    // Session 1: 3 pages before the buy at 10:04 -> 3 samples; session 3: 2 pages -> 2 samples.
    expect(r.samples.train + r.samples.val + r.samples.test).toBe(5);
    const d = loadDataset(out, { verify: true });
    expect(d.sessionIds).toEqual(["1", "3"]);
    // The candidate set: the training period (sessions 1 and 2, before session 3 starts) by count,
    // then every other item (102 is viewed only after session 1's purchase, 300 only in session 3).
    expect(d.items).toEqual(["100", "101", "200", "201", "102", "300"]);
    expect(d.manifest).toMatchObject({ itemVocabulary: 4, rankableItems: 6, options: { itemSet: "seen", minItemCount: 1 } });
    expect(Array.from(d.columns.itemTrainViews)).toEqual([2, 1, 1, 1, 0, 0]);
    expect(Array.from(d.columns.itemTrainBuys)).toEqual([1, 1, 0, 0, 0, 0]);
    const first = Array.from(sampleWindow(d, 0), (p) => d.pages[p]);
    expect(first).toEqual(["<pad>", "100"]);
    expect(Array.from(sampleTargets(d, 0), (i) => d.items[i]).sort()).toEqual(["100", "101"]);
    expect(Array.from(sampleHistory(d, 2).pages, (p) => d.pages[p])).toEqual(["100"]);
    expect(samplePurchaseHistory(d, 0).length).toBe(0);
    // Session 3 bought item 300, never seen in training: it still has an id, and its own page shows it.
    expect(Array.from(sampleTargets(d, 4), (i) => d.items[i])).toEqual(["300"]);
    expect(Array.from(samplePrefixPages(d, 4).pages, (p) => d.items[d.columns.pageItems[p] ?? -1])).toEqual(["100", "300"]);
    // What a dataset row records when registered: the same counts, and the samples of each split.
    expect(registeredStats(d.manifest)).toMatchObject({ sessions: 3, purchaseSessions: 2, sampleSessions: 2, pages: d.manifest.pageVocabulary, items: 4, rankableItems: 6, samples: 5, samplesBySplit: r.samples, window: 2 });
  });

  it("the same input twice gives the same content hash, and the artifact is left as it is", async () => {
    const dir = tmp();
    const a = await prepareDataset({ format: "yoochoose", input: join(FIXTURES, "yoochoose"), out: join(dir, "a") });
    const b = await prepareDataset({ format: "yoochoose", input: join(FIXTURES, "yoochoose"), out: join(dir, "b") });
    const again = await prepareDataset({ format: "yoochoose", input: join(FIXTURES, "yoochoose"), out: join(dir, "a") });
    expect(b.contentHash).toBe(a.contentHash);
    expect(again.unchanged).toBe(true);
    const other = prepareDataset({ format: "yoochoose", input: join(FIXTURES, "yoochoose"), out: join(dir, "a"), window: 3 });
    await expect(other).rejects.toMatchObject({ name: "ArtifactExistsError" });
  });

  it("reports bad lines in bad-records.txt and loses nothing else", async () => {
    const input = tmp();
    const clicks = readFileSync(join(FIXTURES, "yoochoose", "yoochoose-clicks.dat"), "utf8").split("\n");
    clicks.splice(2, 0, "1,2014-04-01T10:00:40.000Z,xx,0", "2,2014-04-0");
    writeFileSync(join(input, "yoochoose-clicks.dat"), clicks.join("\n"));
    writeFileSync(join(input, "yoochoose-buys.dat"), readFileSync(join(FIXTURES, "yoochoose", "yoochoose-buys.dat")));
    const clean = await prepareDataset({ format: "yoochoose", input: join(FIXTURES, "yoochoose"), out: join(tmp(), "ds") });
    const r = await prepareDataset({ format: "yoochoose", input, out: join(tmp(), "ds") });
    expect(r.badRecords).toBe(2);
    expect(r.contentHash).toBe(clean.contentHash);
    const report = readFileSync(r.badRecordsReport ?? "", "utf8");
    expect(report).toContain("yoochoose-clicks.dat:3:");
    expect(report).toContain("yoochoose-clicks.dat:4:");
  });

  it("every format prepares: diginetica drops purchase-only sessions, otto and retailrocket use the gap rule", async () => {
    const dig = await prepareDataset({ format: "diginetica", input: join(FIXTURES, "diginetica"), out: join(tmp(), "d") });
    expect(dig).toMatchObject({ sessions: 2, purchaseSessions: 2, users: 1 });
    const rr = await prepareDataset({ format: "retailrocket", input: join(FIXTURES, "retailrocket"), out: join(tmp(), "r") });
    // visitor 257597: views at +0, +1 min, buy at +3 min, then a view 2h46m later: 2 sessions, + visitor 992329.
    expect(rr).toMatchObject({ sessions: 3, purchaseSessions: 1 });
    const otto = await prepareDataset({ format: "otto", input: join(FIXTURES, "otto", "train.jsonl"), out: join(tmp(), "o") });
    expect(otto).toMatchObject({ sessions: 3, purchaseSessions: 1 });
    const jsonl = await prepareDataset({ format: "jsonl", input: join(FIXTURES, "generic", "log.jsonl"), out: join(tmp(), "j") });
    expect(jsonl).toMatchObject({ sessions: 2, purchaseSessions: 1, samples: { train: 2, val: 0, test: 0 } });
  });
});
