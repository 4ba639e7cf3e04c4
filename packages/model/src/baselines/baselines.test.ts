import { beforeAll, describe, expect, it } from "vitest";
import type { Dataset } from "@drnn/data";
import { scoreSplit } from "../metrics/index.js";
import { BASELINES, SessionView, fitBaseline } from "./index.js";
import { buildShopFixture } from "./fixture.js";

let dataset: Dataset;
let withUsers: Dataset;
beforeAll(async () => {
  dataset = await buildShopFixture();
  withUsers = await buildShopFixture({ users: true });
}, 60_000);

describe("SessionView", () => {
  it("rebuilds each prefix's viewed items in order from the windows", () => {
    const view = new SessionView(dataset);
    const [from] = dataset.manifest.splits.train.samples;
    const items = [0, 1, 2].map((j) => view.prefixItems(from + j).map((i) => dataset.items[i]));
    expect(items).toEqual([["i0"], ["i0", "i3"], ["i0", "i3", "i0"]]);
  });

  it("counts training purchases only", () => {
    const pop = new SessionView(dataset).trainPopularity();
    const z = dataset.items.indexOf("z");
    // Sessions 0..23 are the training split (60% of 40); z is bought in 0, 4, ..., 20.
    expect(pop[z]).toBe(6);
  });
});

describe("baselines on the same splits and metrics", () => {
  it.each(BASELINES)("%s ranks 20 distinct known items per sample", (method) => {
    const ranker = fitBaseline(method, dataset, { seed: 3 });
    const [from, to] = dataset.manifest.splits.test.samples;
    const ranked = ranker.rank(Int32Array.from({ length: to - from }, (_, i) => from + i));
    for (const top of ranked) {
      expect(new Set(top).size).toBe(top.length);
      expect(top.length).toBe(Math.min(20, dataset.manifest.itemVocabulary));
      for (const item of top) expect(item).toBeGreaterThanOrEqual(0);
    }
  });

  it("pop always proposes the most bought item, z, and so misses these sessions at rank 1", () => {
    const m = scoreSplit(dataset, "test", fitBaseline("pop", dataset));
    // Test split: sessions 32..39, 3 prefix samples each. z (bought 6 times in
    // training, every other item 3) is also bought in 32 and 36: 6 of 24 hit.
    expect(m.accuracy).toBeCloseTo(6 / 24, 10);
    expect(m.pathCompression).toBeCloseTo((2 * (1 / 3) + 6 * 1) / 8, 10);
  });

  it("spop finds the bought item once it is the most viewed, and beats pop", () => {
    const spop = scoreSplit(dataset, "test", fitBaseline("spop", dataset));
    const pop = scoreSplit(dataset, "test", fitBaseline("pop", dataset));
    // Prefix 1 views a: a is first. Prefix 2 views a, b: tie broken by popularity. Prefix 3: a twice, first.
    expect(spop.accuracy).toBeGreaterThanOrEqual(2 / 3);
    expect(spop.accuracy).toBeGreaterThan(pop.accuracy);
    expect(spop.pathCompression).toBeCloseTo(1 / 3, 10);
  });

  it("itemknn ranks the session's own items first, like spop, on this log", () => {
    const knn = scoreSplit(dataset, "test", fitBaseline("itemknn", dataset));
    expect(knn.hit[5]).toBe(1);
    expect(knn.accuracy).toBeGreaterThanOrEqual(2 / 3);
  });

  it("als is deterministic for a seed and learns more than popularity at top 5", () => {
    const a = scoreSplit(dataset, "test", fitBaseline("als", dataset, { seed: 5 }));
    const b = scoreSplit(dataset, "test", fitBaseline("als", dataset, { seed: 5 }));
    expect(a).toEqual(b);
    const pop = scoreSplit(dataset, "test", fitBaseline("pop", dataset));
    expect(a.hit[5]).toBeGreaterThan(pop.hit[5]);
  });

  it("als-history equals als without user ids, and differs once users have histories", () => {
    const plain = scoreSplit(dataset, "test", fitBaseline("als", dataset, { seed: 5 }));
    const hist = scoreSplit(dataset, "test", fitBaseline("als-history", dataset, { seed: 5 }));
    expect(hist).toEqual(plain);
    const view = new SessionView(withUsers);
    const [s0, s1] = withUsers.manifest.splits.test.sessions;
    const histories = Array.from({ length: s1 - s0 }, (_, i) => view.historyItems(s0 + i).length);
    expect(Math.max(...histories)).toBeGreaterThan(0);
  });
});
