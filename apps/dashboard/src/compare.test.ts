import { describe, expect, it } from "vitest";
import type { Candidate } from "@drnn/contract";
import { progress, stepPoints, toggleId, winner } from "./compare.js";

const c = (id: string, fitness: number | null, second: number, trainSeconds: number, over: Partial<Candidate> = {}): Candidate =>
  ({ id, state: "completed", fitness, accuracy: fitness, trainSeconds, finishedAt: `2026-01-01T00:00:${String(second).padStart(2, "0")}.000Z`, testMetrics: null, ...over }) as Candidate;

describe("campaign comparison", () => {
  it("steps best-so-far by evaluation in finishing order, with the training time spent so far", () => {
    const cs = [c("b", 0.5, 2, 20), c("a", 0.3, 1, 10), c("run", null, 3, 5, { state: "running", finishedAt: null }), c("d", 0.4, 4, 30)];
    expect(progress(cs)).toEqual([
      { evaluation: 1, trainSeconds: 10, bestSoFar: 0.3, candidateId: "a" },
      { evaluation: 2, trainSeconds: 30, bestSoFar: 0.5, candidateId: "b" },
      { evaluation: 3, trainSeconds: 60, bestSoFar: 0.5, candidateId: "b" },
    ]);
  });

  it("draws the step curve from its improvements and last point only", () => {
    const series = progress(Array.from({ length: 1000 }, (_, i) => c(`c${i}`, i < 500 ? 0.1 + i / 10_000 : 0.1, i % 60, 1, { finishedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, i)).toISOString() })));
    const pts = stepPoints(series);
    expect(pts.length).toBeLessThanOrEqual(300);
    expect(pts[0]?.evaluation).toBe(1);
    expect(pts.at(-1)).toEqual(series.at(-1));
    const few = stepPoints(progress([c("a", 0.3, 1, 1), c("b", 0.2, 2, 1), c("d", 0.6, 3, 1), c("e", 0.1, 4, 1)]));
    expect(few.map((p) => p.evaluation)).toEqual([1, 3, 4]);
  });

  it("names each campaign's winner and what it took to reach it", () => {
    const test = { split: "test", samples: 1, sessions: 1, accuracy: 0.4, hit: { 1: 0.4, 5: 0.5, 10: 0.6, 20: 0.7 }, mrr20: 0.45, pathCompression: 1, sessionAccuracy: 0, reachable: 1 };
    const w = winner("camp", [c("a", 0.3, 1, 10), c("b", 0.5, 2, 20, { testMetrics: test }), c("d", 0.4, 3, 30)]);
    expect(w).toEqual({ campaignId: "camp", candidateId: "b", evaluations: 3, best: 0.5, accuracy: 0.5, evaluationsToBest: 2, trainSecondsToBest: 30, trainSecondsTotal: 60, testHit1: 0.4, testMrr20: 0.45 });
    expect(winner("empty", [])).toMatchObject({ candidateId: null, best: null, evaluations: 0, trainSecondsTotal: 0 });
    expect(toggleId(toggleId(["x"], "y"), "x")).toEqual(["y"]);
  });
});
