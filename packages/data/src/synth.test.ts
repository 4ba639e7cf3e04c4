import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadDataset, sampleHistory, sampleTargets, sampleWindow, type Dataset } from "./artifact.js";
import { prepareDataset } from "./prepare.js";
import { writeSyntheticLog } from "./synth/generate.js";

const tmp = (): string => mkdtempSync(join(tmpdir(), "drnn-synth-test-"));

async function synthDataset(sessions: number, seed: number): Promise<{ log: string; d: Dataset }> {
  const dir = tmp();
  const log = join(dir, "log.jsonl");
  await writeSyntheticLog(log, { sessions, seed });
  const out = join(dir, "ds");
  await prepareDataset({ format: "jsonl", input: log, out });
  return { log, d: loadDataset(out) };
}

function accuracy(d: Dataset, from: number, to: number, predict: (s: number) => number): number {
  let hits = 0;
  for (let s = from; s < to; s++) if (sampleTargets(d, s).includes(predict(s))) hits++;
  return hits / Math.max(1, to - from);
}

describe("the synthetic shop log", () => {
  it("the same seed gives the same log; another seed another", async () => {
    const dir = tmp();
    const digest = async (seed: number, name: string) => {
      await writeSyntheticLog(join(dir, name), { sessions: 300, seed });
      return createHash("sha256").update(readFileSync(join(dir, name))).digest("hex");
    };
    expect(await digest(7, "a")).toBe(await digest(7, "b"));
    expect(await digest(8, "c")).not.toBe(await digest(7, "a"));
  });

  it("has learnable structure: S-POP over the session's pages beats global popularity", async () => {
    const { d } = await synthDataset(3000, 1);
    const c = d.columns;
    const [trainFrom, trainTo] = d.manifest.splits.train.samples;
    const [testFrom, testTo] = d.manifest.splits.test.samples;
    const popularity = new Float64Array(d.items.length);
    for (let s = trainFrom; s < trainTo; s++) for (const i of sampleTargets(d, s)) if (i >= 0) popularity[i] = (popularity[i] ?? 0) + 1;
    const mostPopular = popularity.indexOf(Math.max(...popularity));
    // S-POP: the item most often shown by the pages seen so far (window + history), ties by popularity.
    const spop = (s: number): number => {
      const counts = new Map<number, number>();
      const seen = [...sampleWindow(d, s), ...sampleHistory(d, s).pages];
      for (const page of seen) {
        const item = c.pageItems[page] ?? -1;
        if (item >= 0) counts.set(item, (counts.get(item) ?? 0) + 1);
      }
      let best = mostPopular;
      let bestScore = -1;
      for (const [item, n] of counts) {
        const score = n + (popularity[item] ?? 0) / 1e9;
        if (score > bestScore) [best, bestScore] = [item, score];
      }
      return best;
    };
    const pop = accuracy(d, testFrom, testTo, () => mostPopular);
    const sessionAware = accuracy(d, testFrom, testTo, spop);
    expect(testTo - testFrom).toBeGreaterThan(500);
    expect(sessionAware).toBeGreaterThan(pop + 0.2);
  });

  it("split boundaries: no session in two splits, time order kept, 60/20/20 by session", async () => {
    const { d } = await synthDataset(1500, 3);
    const c = d.columns;
    const { train, val, test } = d.manifest.splits;
    expect([train.sessions[0], train.sessions[1], val.sessions[1], test.sessions[1]]).toEqual([0, val.sessions[0], test.sessions[0], c.sessionStart.length]);
    const total = c.sessionStart.length;
    expect(train.sessions[1]).toBe(Math.round(total * 0.6));
    expect(val.sessions[1]).toBe(Math.round(total * 0.8));
    for (let i = 1; i < total; i++) expect(c.sessionStart[i] ?? 0).toBeGreaterThanOrEqual(c.sessionStart[i - 1] ?? 0);
    // Every sample's session lies in the split whose sample range holds it.
    for (const [code, range] of [train, val, test].entries()) {
      for (let s = range.samples[0]; s < range.samples[1]; s++) expect(c.sessionSplit[c.sampleSession[s] ?? 0]).toBe(code);
    }
    // A source session id appears once in the session table.
    expect(new Set(d.sessionIds).size).toBe(d.sessionIds.length);
    // Returning users carry purchase histories into later sessions.
    expect(c.purchaseItems.length).toBeGreaterThan(0);
  });
});
