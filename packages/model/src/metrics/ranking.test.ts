import { beforeAll, describe, expect, it } from "vitest";
import { sampleTargets, type Dataset } from "@drnn/data";
import { buildShopFixture } from "../baselines/fixture.js";
import { RankingAccumulator, firstHitRank, scoreSplit, topN, type Ranker } from "./index.js";

describe("firstHitRank", () => {
  it("is the 1-based rank of the first bought item within the top 20, else 0", () => {
    expect(firstHitRank([7, 3, 9], [9])).toBe(3);
    expect(firstHitRank([7, 3, 9], [3, 7])).toBe(1);
    expect(firstHitRank([7, 3, 9], [4])).toBe(0);
    expect(firstHitRank([-1, 5], [-1])).toBe(0);
    expect(firstHitRank(Array.from({ length: 25 }, (_, i) => i), [21])).toBe(0);
  });
});

describe("RankingAccumulator", () => {
  it("matches a worked example by hand", () => {
    // Session A (3 pages): ranks 0, 2, 1 -> first top-1 hit at prefix 3 -> L2/L1 = 3/3.
    // Session B (2 pages): ranks 1, 1 -> first hit at prefix 1 -> 1/2.
    const acc = new RankingAccumulator();
    for (const r of [0, 2, 1]) acc.addSample(r);
    acc.addSession(3, 3, true);
    for (const r of [1, 1]) acc.addSample(r);
    acc.addSession(2, 1, true);
    const m = acc.result("test");
    expect(m.samples).toBe(5);
    expect(m.accuracy).toBeCloseTo(3 / 5, 12);
    expect(m.hit[5]).toBeCloseTo(4 / 5, 12);
    expect(m.mrr20).toBeCloseTo((0 + 1 / 2 + 1 + 1 + 1) / 5, 12);
    expect(m.pathCompression).toBeCloseTo((3 / 3 + 1 / 2) / 2, 12);
    expect(m.sessionAccuracy).toBe(1);
  });

  it("counts a session never predicted as no compression (L2 = L1)", () => {
    const acc = new RankingAccumulator();
    acc.addSample(0);
    acc.addSession(4, 0, false);
    expect(acc.result("val")).toMatchObject({ pathCompression: 1, sessionAccuracy: 0, accuracy: 0 });
  });
});

describe("topN", () => {
  it("returns the best indices first, ties to the lower index, honouring exclusions", () => {
    expect([...topN([0.1, 0.9, 0.5, 0.9, 0.2], 3)]).toEqual([1, 3, 2]);
    expect([...topN([0.1, 0.9, 0.5], 5)]).toEqual([1, 2, 0]);
    expect([...topN([3, 2, 1], 2, (i) => i === 0)]).toEqual([1, 2]);
  });
});

describe("scoreSplit", () => {
  let dataset: Dataset;
  beforeAll(async () => {
    dataset = await buildShopFixture();
  }, 30_000);

  it("gives an oracle perfect accuracy and the best possible compression", () => {
    const oracle: Ranker = { rank: (samples) => Array.from(samples, (s) => Int32Array.from(sampleTargets(dataset, s))) };
    const m = scoreSplit(dataset, "test", oracle);
    const [from, to] = dataset.manifest.splits.test.samples;
    expect(m.samples).toBe(to - from);
    expect(m.sessions).toBe(dataset.manifest.splits.test.sessions[1] - dataset.manifest.splits.test.sessions[0]);
    expect(m).toMatchObject({ accuracy: 1, mrr20: 1, sessionAccuracy: 1, reachable: 1 });
    // Every fixture session has 3 input pages; an oracle is right after the first.
    expect(m.pathCompression).toBeCloseTo(1 / 3, 12);
  });

  it("gives a ranker that never hits zero and no compression", () => {
    const never: Ranker = { rank: (samples) => Array.from(samples, () => Int32Array.from([-1])) };
    expect(scoreSplit(dataset, "val", never)).toMatchObject({ accuracy: 0, mrr20: 0, pathCompression: 1 });
  });
});
