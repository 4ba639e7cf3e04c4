import { describe, expect, it } from "vitest";
import { cpuSearchSpace } from "@drnn/ga";
import type { Candidate } from "@drnn/contract";
import { drawSubset, filterTrials, geneAxes, parallelRows, slicePoints, sortTrials } from "./trials.js";

const cand = (i: number, over: Partial<Candidate> = {}): Candidate =>
  ({
    id: `c${String(i).padStart(4, "0")}`,
    hash: `h${i}`,
    state: "completed",
    fitness: (i % 100) / 100,
    accuracy: null,
    epochs: i % 7,
    durationSeconds: null,
    stopReason: i % 2 ? "patience" : "converged",
    backend: "simulated",
    workerId: "w1",
    queuedAt: `2026-01-01T00:${String(Math.floor(i / 60) % 60).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}.000Z`,
    chromosome: { l: (i % 3) + 1, neurons: [64, 32], optimizer: i % 2 ? "adam" : "sgd", history: i % 2 === 0 },
    ...over,
  }) as Candidate;

describe("trial views", () => {
  it("has one axis per gene of the campaign's space, categories for choices and booleans, log where the gene is", () => {
    const axes = geneAxes(cpuSearchSpace());
    expect(axes).toHaveLength(15);
    expect(axes.find((a) => a.name === "optimizer")).toMatchObject({ kind: "category", categories: ["sgd", "momentum", "adam", "adagrad", "rmsprop"] });
    expect(axes.find((a) => a.name === "history")).toMatchObject({ kind: "category", categories: ["false", "true"] });
    expect(axes.find((a) => a.name === "learningRate")).toMatchObject({ kind: "value", log: true });
    expect(axes.find((a) => a.name === "neurons")).toMatchObject({ kind: "value", note: "Σ layers" });
    // An unreadable space falls back to the contract's table.
    expect(geneAxes({ nonsense: true })).toHaveLength(15);
    const [row] = parallelRows(axes, [cand(1)]);
    expect(row?.values.slice(1, 4)).toEqual([2, null, 96]);
    expect(row?.values.at(-1)).toBe(0.01);
    expect(slicePoints(axes.find((a) => a.name === "history") ?? axes[0]!, [cand(2)])).toEqual([{ x: "true", y: 0.02, id: "c0002" }]);
  });

  it("draws at most max candidates: the fittest quarter, then an even spread, the same every time", () => {
    const all = Array.from({ length: 1000 }, (_, i) => cand(i));
    const drawn = drawSubset(all, 400);
    expect(drawn).toHaveLength(400);
    expect(new Set(drawn.map((c) => c.id)).size).toBe(400);
    const best = Math.max(...all.map((c) => c.fitness ?? 0));
    expect(drawn.filter((c) => c.fitness === best)).toHaveLength(all.filter((c) => c.fitness === best).length);
    expect(drawSubset(all, 400)).toEqual(drawn);
    expect(drawSubset(all.slice(0, 10), 400)).toHaveLength(10);
  });

  it("sorts by a column or a gene, missing values last, and filters by state, gene terms and words", () => {
    const cs = [cand(5), cand(3), cand(4, { fitness: null, state: "running" }), cand(8)];
    expect(sortTrials(cs, "fitness", "desc").map((c) => c.id)).toEqual(["c0008", "c0005", "c0003", "c0004"]);
    expect(sortTrials(cs, "fitness", "asc").map((c) => c.id)).toEqual(["c0003", "c0005", "c0008", "c0004"]);
    expect(sortTrials(cs, "gene:l", "asc").map((c) => c.chromosome["l"])).toEqual([1, 2, 3, 3]);
    expect(filterTrials(cs, "", "running").map((c) => c.id)).toEqual(["c0004"]);
    expect(filterTrials(cs, "optimizer=adam", "").map((c) => c.id)).toEqual(["c0005", "c0003"]);
    expect(filterTrials(cs, "l>2 patience", "").map((c) => c.id)).toEqual(["c0005"]);
    expect(filterTrials(cs, "neurons=64,32 fitness>0.04", "").map((c) => c.id)).toEqual(["c0005", "c0008"]);
    expect(filterTrials(cs, "nosuchgene=1", "")).toEqual([]);
  });
});
