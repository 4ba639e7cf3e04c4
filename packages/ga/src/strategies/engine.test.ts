import { describe, expect, it } from "vitest";
import { distanceFitness, oneMax, oneMaxSpace } from "../benchmarks/functions.js";
import { validateChromosome } from "../chromosome/validate.js";
import type { Chromosome } from "../chromosome/types.js";
import { CHROMOSOME_DEFAULTS } from "@drnn/contract";
import { cpuSearchSpace } from "../search-space/builtin.js";
import { InvalidSearchSpaceError } from "../search-space/parse.js";
import type { SearchSpace } from "../search-space/schema.js";
import { GaEngine, InvalidFitnessError, UnknownCandidateError } from "./engine.js";
import { replayEngine, runToCompletion } from "./run.js";
import { InvalidGaSettingsError, STRATEGY_NAMES, type GaSettingsInput } from "./settings.js";
import { InvalidSnapshotError } from "./snapshot.js";

const cpu = cpuSearchSpace();
const target = validateChromosome(cpu, { w: 5, l: 2, h: 2, neurons: [128, 48], learningRate: 0.02, optimizer: "adam", fnnLayers: 1, fnnNeurons: 64 });
const drnnFit = distanceFitness(cpu, target);

/** Runs to the end, recording every asked hash in order. */
function trace(engine: GaEngine, f: (g: Chromosome) => number, stopAfter = Infinity): string[] {
  const asked: string[] = [];
  while (!engine.done && engine.evaluations < stopAfter) {
    const batch = engine.ask();
    // stop mid-generation: tell only part of the batch
    const take = Number.isFinite(stopAfter) ? batch.slice(0, Math.max(1, stopAfter - engine.evaluations)) : batch;
    for (const c of take) {
      asked.push(c.hash);
      engine.tell(c.hash, f(c.genes));
    }
  }
  return asked;
}

const settings = (strategy: (typeof STRATEGY_NAMES)[number], extra: Partial<GaSettingsInput> = {}): GaSettingsInput => ({
  strategy,
  seed: 2024,
  populationSize: 12,
  generations: 15,
  ...extra,
});

describe("ask/tell", () => {
  it("asks each chromosome once, idempotently, and moves on when all are told", () => {
    const engine = GaEngine.create(cpu, settings("elitist"));
    const first = engine.ask();
    expect(first).toHaveLength(12);
    expect(new Set(first.map((c) => c.hash)).size).toBe(12);
    expect(engine.ask()).toEqual(first);
    expect(first.every((c) => c.generation === 0)).toBe(true);
    first.slice(0, 5).forEach((c) => engine.tell(c.hash, 1));
    expect(engine.ask().map((c) => c.hash)).toEqual(first.slice(5).map((c) => c.hash));
    first.slice(5).forEach((c) => engine.tell(c.hash, 2));
    expect(engine.generation).toBe(1);
    expect(engine.ask().every((c) => c.generation === 1 && engine.fitnessOf(c.hash) === undefined)).toBe(true);
  });

  it("refuses unknown hashes and non-finite fitness; a repeated tell is a no-op", () => {
    const engine = GaEngine.create(cpu, settings("paper"));
    const [c] = engine.ask();
    expect(() => engine.tell("0".repeat(64), 1)).toThrow(UnknownCandidateError);
    expect(() => engine.tell(c!.hash, Number.NaN)).toThrow(InvalidFitnessError);
    expect(engine.tell(c!.hash, 0.5)).toBe(true);
    expect(engine.tell(c!.hash, 0.9)).toBe(false);
    expect(engine.fitnessOf(c!.hash)).toBe(0.5);
    expect(engine.evaluations).toBe(1);
  });

  it("puts configured seed chromosomes first (e.g. the paper's defaults)", () => {
    const engine = GaEngine.create(cpu, settings("paper", { initial: [{ ...CHROMOSOME_DEFAULTS, neurons: [...CHROMOSOME_DEFAULTS.neurons] }] }));
    expect(engine.ask()[0]?.genes).toEqual(validateChromosome(cpu, {}));
  });

  it("validates its inputs with typed errors", () => {
    expect(() => GaEngine.create(cpu, settings("elitist", { eliteCount: 12 }))).toThrow(InvalidGaSettingsError);
    expect(() => GaEngine.create({ name: "x", genes: [] }, settings("elitist"))).toThrow(InvalidSearchSpaceError);
    expect(() => GaEngine.create(cpu, settings("paper", { initial: [{ w: 0 }] }))).toThrow(/w = 0/);
  });
});

describe("no duplicate evaluations", () => {
  const tiny: SearchSpace = oneMaxSpace(6); // 64 chromosomes in all
  for (const strategy of STRATEGY_NAMES) {
    it(`${strategy}: every evaluated chromosome is distinct, even when the space runs out`, () => {
      const seen: string[] = [];
      const engine = GaEngine.create(tiny, settings(strategy, { populationSize: 10, generations: 200, maxIdleGenerations: 20 }));
      runToCompletion(engine, (g, hash) => {
        seen.push(hash);
        return oneMax(g);
      });
      expect(new Set(seen).size).toBe(seen.length);
      expect(engine.evaluations).toBe(seen.length);
      expect(seen.length).toBeLessThanOrEqual(64);
      expect(engine.best?.fitness).toBe(6);
      if (strategy === "random") {
        // it samples every chromosome once, then finds nothing new and stops
        expect(seen.length).toBe(64);
        expect(engine.doneReason).toBe("exhausted");
      }
    });
  }
});

describe("budget and summaries", () => {
  for (const strategy of STRATEGY_NAMES) {
    it(`${strategy}: spends exactly maxEvaluations, then stops with reason "budget"`, () => {
      const engine = runToCompletion(GaEngine.create(cpu, settings(strategy, { generations: 100, maxEvaluations: 37 })), drnnFit);
      expect(engine.evaluations).toBe(37);
      expect(engine.doneReason).toBe("budget");
      expect(engine.ask()).toEqual([]);
    });

    it(`${strategy}: one summary per generation, consistent with the evaluations`, () => {
      const engine = runToCompletion(GaEngine.create(cpu, settings(strategy)), drnnFit);
      const h = engine.history;
      expect(engine.doneReason).toBe("generations");
      expect(h.map((s) => s.generation)).toEqual(Array.from({ length: 16 }, (_, i) => i));
      expect(h.reduce((n, s) => n + s.newEvaluations, 0)).toBe(engine.evaluations);
      expect(h.at(-1)?.evaluations).toBe(engine.evaluations);
      for (const [i, s] of h.entries()) {
        expect(s.best!).toBeGreaterThanOrEqual(s.mean!);
        expect(s.mean!).toBeGreaterThanOrEqual(s.worst!);
        expect(s.bestSoFar!).toBeGreaterThanOrEqual(s.best!);
        if (i > 0) expect(s.bestSoFar!).toBeGreaterThanOrEqual(h[i - 1]!.bestSoFar!);
      }
      expect(h.at(-1)?.bestSoFar).toBe(engine.best?.fitness);
      expect(drnnFit(engine.best!.genes)).toBe(engine.best?.fitness);
    });
  }
});

describe("snapshot / restore", () => {
  for (const strategy of STRATEGY_NAMES) {
    it(`${strategy}: a run interrupted mid-generation and restored from JSON replays the uninterrupted one`, () => {
      const whole = GaEngine.create(cpu, settings(strategy));
      const wholeTrace = trace(whole, drnnFit);

      const first = GaEngine.create(cpu, settings(strategy));
      const part1 = trace(first, drnnFit, 61); // 61 is not a multiple of 12
      expect(first.ask().length).toBeGreaterThan(0);
      const stored = JSON.stringify(first.snapshot());
      const resumed = GaEngine.restore(JSON.parse(stored));
      const part2 = trace(resumed, drnnFit);

      expect([...part1, ...part2]).toEqual(wholeTrace);
      expect(resumed.snapshot()).toEqual(whole.snapshot());
      expect(resumed.best).toEqual(whole.best);
    });
  }

  it("the order results arrive in does not change what is asked next", () => {
    const inOrder = GaEngine.create(cpu, settings("elitist"));
    const reversed = GaEngine.create(cpu, settings("elitist"));
    while (!inOrder.done) {
      const a = inOrder.ask();
      const b = reversed.ask();
      expect(b.map((c) => c.hash)).toEqual(a.map((c) => c.hash));
      for (const c of a) inOrder.tell(c.hash, Math.round(drnnFit(c.genes) * 10) / 10); // ties on purpose
      for (const c of [...b].reverse()) reversed.tell(c.hash, Math.round(drnnFit(c.genes) * 10) / 10);
    }
    expect(reversed.done).toBe(true);
    expect(reversed.best).toEqual(inOrder.best);
    expect(reversed.history).toEqual(inOrder.history);
  });

  it("replayEngine rebuilds the same state from the seed and stored results alone", () => {
    const live = GaEngine.create(cpu, settings("paper"));
    trace(live, drnnFit, 50);
    const rebuilt = replayEngine(cpu, settings("paper"), live.snapshot().known);
    expect(rebuilt.evaluations).toBe(50);
    expect(rebuilt.ask()).toEqual(live.ask());
    expect(rebuilt.snapshot()).toEqual(live.snapshot());
  });

  it("a snapshot is a copy: later tells do not change it", () => {
    const engine = GaEngine.create(cpu, settings("random"));
    const snap = engine.snapshot();
    const before = JSON.stringify(snap);
    trace(engine, drnnFit, 20);
    expect(JSON.stringify(snap)).toBe(before);
  });

  it("refuses foreign or inconsistent snapshots", () => {
    expect(() => GaEngine.restore({})).toThrow(InvalidSnapshotError);
    const snap = JSON.parse(JSON.stringify(GaEngine.create(cpu, settings("paper")).snapshot()));
    snap.pending.push("f".repeat(64));
    expect(() => GaEngine.restore(snap)).toThrow(/pending hash f+ is not/);
    const other = JSON.parse(JSON.stringify(GaEngine.create(cpu, settings("paper")).snapshot()));
    other.rng.words = [1, 2];
    expect(() => GaEngine.restore(other)).toThrow(InvalidSnapshotError);
  });
});

describe("strategy behaviour", () => {
  const bits = oneMaxSpace(16);
  const trueCounts = (pop: readonly { genes: Chromosome }[]) =>
    bits.genes.map((g) => pop.filter((p) => p.genes[g.name] === true).length);

  it("paper with p_c = p_m = 0 never changes the population (Algorithm 2 has no selection)", () => {
    const engine = GaEngine.create(bits, { strategy: "paper", seed: 1, populationSize: 10, generations: 5, crossoverRate: 0, mutationRate: 0 });
    const gen0 = engine.ask().map((c) => c.hash).sort();
    runToCompletion(engine, oneMax);
    expect(engine.population.map((p) => p.hash).sort()).toEqual(gen0);
    expect(engine.history.map((s) => s.newEvaluations)).toEqual([10, 0, 0, 0, 0, 0]);
  });

  it("paper with crossover only keeps every locus's gene pool (uniform swaps within pairs)", () => {
    const engine = GaEngine.create(bits, { strategy: "paper", seed: 3, populationSize: 11, generations: 1, crossoverRate: 1, mutationRate: 0 });
    for (const c of engine.ask()) engine.tell(c.hash, oneMax(c.genes));
    expect(engine.generation).toBe(1); // generation 1 is bred; same seed without breeding gives generation 0
    const gen0 = GaEngine.create(bits, { strategy: "paper", seed: 3, populationSize: 11, generations: 0 });
    runToCompletion(gen0, oneMax);
    expect(trueCounts(engine.population)).toEqual(trueCounts(gen0.population));
    expect(engine.population.map((p) => p.hash)).not.toEqual(gen0.population.map((p) => p.hash));
    expect(engine.population).toHaveLength(11);
  });

  it("elitist never loses its best chromosome from one generation to the next", () => {
    const engine = runToCompletion(GaEngine.create(cpu, settings("elitist", { generations: 25 })), drnnFit);
    const bests = engine.history.map((s) => s.best!);
    for (let i = 1; i < bests.length; i++) expect(bests[i]!).toBeGreaterThanOrEqual(bests[i - 1]!);
  });

  it("random asks only fresh chromosomes, populationSize per generation", () => {
    const engine = GaEngine.create(cpu, settings("random"));
    const asked = trace(engine, drnnFit);
    expect(asked).toHaveLength(12 * 16);
    expect(new Set(asked).size).toBe(asked.length);
  });
});
