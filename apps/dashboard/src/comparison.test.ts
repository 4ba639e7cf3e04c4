import { describe, expect, it } from "vitest";
import type { RankingMetricsDto } from "@drnn/contract";
import { comparisonView } from "./comparison.js";

const m = (hit1: number, mrr20: number): RankingMetricsDto => ({
  split: "test", samples: 10, sessions: 2, accuracy: hit1, hit: { 1: hit1, 5: hit1, 10: hit1, 20: hit1 }, mrr20, pathCompression: 1, sessionAccuracy: 0, reachable: 1,
});

describe("the best model beside the baselines", () => {
  it("says ahead only when the model beats every baseline on hit@1 and MRR@20", () => {
    const baselines = { pop: m(0.1, 0.2), spop: m(0.6, 0.7), itemknn: m(0.5, 0.65) };
    expect(comparisonView({ split: "test", drnn: null, baselines }, m(0.65, 0.75)).ahead).toBe(true);
    expect(comparisonView({ split: "test", drnn: null, baselines }, m(0.65, 0.69)).ahead).toBe(false);
    const behind = comparisonView({ split: "test", drnn: m(0.55, 0.6), baselines }, null);
    expect(behind.ahead).toBe(false);
    expect(behind.rows.find((r) => r.leadsHit1)?.name).toBe("spop");
  });

  it("has no verdict until both sides are known", () => {
    expect(comparisonView({ split: "test", drnn: null, baselines: { spop: m(0.6, 0.7) } }, undefined).ahead).toBeNull();
    expect(comparisonView({ split: "test", drnn: m(0.6, 0.7), baselines: null }, undefined).ahead).toBeNull();
  });
});
