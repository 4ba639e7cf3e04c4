import { describe, expect, it } from "vitest";
import type { DecisionView, OnlineStatus } from "@drnn/contract";
import { accuracySeries, lineageOf, points } from "./online-view.js";

const m = (hit1: number) => ({ samples: 10, sessions: 2, hit1, hit20: 0.9, mrr20: hit1, reachable: 1 });
const decision = (seq: number, version: number, parent: number, outcome: "promoted" | "kept"): DecisionView => ({
  batchId: `b${seq}`, batchSeq: seq, outcome, reason: "", candidateVersion: version, parentVersion: parent, margin: 0.01, metric: "hit1",
  candidate: m(0.5), live: m(0.4), batchIds: [`b${seq}`], sessionCount: 100 * seq, addedPages: 1, addedGeneratorItems: 1, decidedAt: "2026-12-01T10:00:00Z",
});

// v1 first; batch 1 -> v2 promoted; batch 2 -> v3 kept (parent v2); batch 3 -> v4 promoted (parent v2).
const status: OnlineStatus = {
  name: "drnn", liveVersion: 4, firstVersion: 1, batches: [], meanGain: 0.05,
  decisions: [decision(1, 2, 1, "promoted"), decision(2, 3, 2, "kept"), decision(3, 4, 2, "promoted")],
  accuracy: [
    { batchSeq: 3, batchId: "b3", liveVersion: 2, live: m(0.6), frozen: m(0.4), spop: m(0.55) },
    { batchSeq: 1, batchId: "b1", liveVersion: 1, live: m(0.5), frozen: m(0.5), spop: null },
  ],
};

describe("online view", () => {
  it("the live lineage skips kept candidates and starts at the first version", () => {
    expect(lineageOf(status).map((s) => [s.version, s.batchSeq])).toEqual([[1, null], [2, 1], [4, 3]]);
    expect(lineageOf({ ...status, liveVersion: null })).toEqual([]);
  });

  it("orders the accuracy series by batch and formats gains in points", () => {
    expect(accuracySeries(status).map((p) => [p.batch, p.live, p.frozen, p.spop])).toEqual([[1, 0.5, 0.5, null], [3, 0.6, 0.4, 0.55]]);
    expect(points(0.0512)).toBe("+5.1 pt");
    expect(points(-0.004)).toBe("-0.4 pt");
    expect(points(null)).toBe("–");
  });
});
