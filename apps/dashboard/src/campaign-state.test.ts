import { describe, expect, it } from "vitest";
import { applyEvent, fitnessSeries, geneImportance, initialView } from "./campaign-state.js";
import type { Candidate, CampaignDetail } from "@drnn/contract";

const detail = { campaign: { id: "c", state: "running" }, generations: [] } as unknown as CampaignDetail;
const cand = (id: string, w: number, fitness: number): Candidate =>
  ({ id, hash: id, chromosome: { w, history: w > 2 }, state: "completed", fitness, finishedAt: `2026-01-01T00:00:0${id}Z` }) as unknown as Candidate;

describe("campaign view", () => {
  it("folds events in idempotently", () => {
    let v = initialView(detail, [], []);
    const e = { candidateId: "1", epoch: 1, valAccuracy: 0.1, valLoss: 2, trainLoss: 2, seconds: 1 };
    v = applyEvent(v, "epoch", e);
    v = applyEvent(v, "epoch", e);
    v = applyEvent(v, "epoch", { ...e, epoch: 2 });
    expect(v.epochs.get("1")?.map((x) => x.epoch)).toEqual([1, 2]);
    v = applyEvent(v, "generation", { index: 0, bestFitness: 0.5, meanFitness: 0.4, worstFitness: 0.3, completedAt: "x" });
    v = applyEvent(v, "generation", { index: 1, bestFitness: 0.45, meanFitness: 0.4, worstFitness: 0.3, completedAt: "y" });
    expect(fitnessSeries(v.detail.generations).map((p) => p.bestSoFar)).toEqual([0.5, 0.5]);
  });

  it("ranks genes by how strongly they move with fitness", () => {
    const cs = [cand("1", 1, 0.1), cand("2", 2, 0.2), cand("3", 3, 0.3), cand("4", 4, 0.4)];
    const imp = geneImportance(cs);
    expect(imp[0]).toMatchObject({ gene: "w" });
    expect(imp[0]?.correlation).toBeCloseTo(1);
  });
});
