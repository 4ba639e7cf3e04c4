import { describe, expect, it } from "vitest";
import type { RankingMetrics } from "@drnn/model";
import { guard } from "./guard.js";

const metrics = (hit1: number, samples = 100): RankingMetrics => ({
  split: "test", samples, sessions: 10, accuracy: hit1, hit: { 1: hit1, 5: hit1, 10: hit1, 20: hit1 }, mrr20: hit1, pathCompression: 1, sessionAccuracy: hit1, reachable: 1,
});
const trained = { scored: true, reason: "patience" };

describe("guard", () => {
  it("promotes a candidate not worse than the live model by more than the margin", () => {
    expect(guard(metrics(0.5), metrics(0.4), 0.01, trained).outcome).toBe("promoted");
    expect(guard(metrics(0.395), metrics(0.4), 0.01, trained).outcome).toBe("promoted");
    expect(guard(metrics(0.385), metrics(0.4), 0.01, trained)).toMatchObject({ outcome: "kept", reason: expect.stringMatching(/more than 0.01 below/) as unknown });
    expect(guard(metrics(0.385), metrics(0.4), 0.02, trained).outcome).toBe("promoted");
  });

  it("keeps the live model when fine-tuning scored no epoch or the holdout is empty", () => {
    expect(guard(metrics(0.9), metrics(0.1), 0.01, { scored: false, reason: "nan-loss" })).toMatchObject({ outcome: "kept", reason: expect.stringMatching(/nan-loss/) as unknown });
    expect(guard(metrics(0, 0), metrics(0, 0), 0.01, trained).outcome).toBe("kept");
  });
});
