// DEAP-style convergence checks on functions with a known optimum. Numbers
// were measured with this code (seeds 1..10, population 20, 400 evaluations)
// and the thresholds leave a margin below them:
//
//               OneMax(32), max 32     sphere(5), max 0       DRNN distance, max 1
//   paper      mean 24.0 (22..26)     mean -6.62 (-12.2..-2.8)  mean 0.813 (0.765..0.861)
//   elitist    mean 30.8 (29..32)     mean -0.19 (-0.70..-0.04) mean 0.970 (0.957..0.984)
//   random     mean 24.7 (24..27)     mean -4.37 (-7.06..-3.23) mean 0.805 (0.779..0.824)
//   elitist > random on 10 of 10 seeds for all three.
//
// Algorithm 2 has no selection pressure (children always replace parents;
// only the best seen is kept), so `paper` tracks random search; `elitist`
// is the strong mode.
import { describe, expect, it } from "vitest";
import { distanceFitness, oneMax, oneMaxSpace, sphere, sphereSpace } from "../benchmarks/functions.js";
import type { Chromosome } from "../chromosome/types.js";
import { validateChromosome } from "../chromosome/validate.js";
import { cpuSearchSpace } from "../search-space/builtin.js";
import type { SearchSpace } from "../search-space/schema.js";
import { GaEngine } from "./engine.js";
import { runToCompletion } from "./run.js";
import type { StrategyName } from "./settings.js";

const cpu = cpuSearchSpace();
const drnnTarget = validateChromosome(cpu, {
  w: 5, l: 2, h: 2, neurons: [128, 48], learningRate: 0.02, optimizer: "adam", activation: "tanh", loss: "softmax",
  batchSize: 256, init: "he", history: true, fnnLayers: 1, fnnNeurons: 64, dropout: 0.2, pointer: true,
});

interface Problem {
  space: SearchSpace;
  f: (g: Chromosome) => number;
}
const problems: Record<"onemax" | "sphere" | "drnn", Problem> = {
  onemax: { space: oneMaxSpace(32), f: oneMax },
  sphere: { space: sphereSpace(5), f: sphere },
  drnn: { space: cpu, f: distanceFitness(cpu, drnnTarget) },
};
const SEEDS = Array.from({ length: 10 }, (_, i) => i + 1);
const BUDGET = 400;

function bestOf(problem: Problem, strategy: StrategyName, seed: number): number {
  const engine = GaEngine.create(problem.space, { strategy, seed, populationSize: 20, generations: 1000, maxEvaluations: BUDGET });
  runToCompletion(engine, (g) => problem.f(g));
  expect(engine.evaluations).toBe(BUDGET);
  return engine.best!.fitness;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

// Every seed of every strategy reaches its stated target within 400 evaluations.
const targets: Record<keyof typeof problems, Record<StrategyName, { each: number; mean: number }>> = {
  onemax: { paper: { each: 21, mean: 23 }, elitist: { each: 28, mean: 30 }, random: { each: 22, mean: 23.5 } },
  sphere: { paper: { each: -14, mean: -8 }, elitist: { each: -1, mean: -0.4 }, random: { each: -9, mean: -6 } },
  drnn: { paper: { each: 0.74, mean: 0.79 }, elitist: { each: 0.93, mean: 0.95 }, random: { each: 0.76, mean: 0.79 } },
};

describe.each(Object.keys(problems) as (keyof typeof problems)[])("convergence on %s", (name) => {
  const problem = problems[name];
  const results = new Map<StrategyName, number[]>();
  const run = (s: StrategyName) => results.get(s) ?? results.set(s, SEEDS.map((seed) => bestOf(problem, s, seed))).get(s)!;

  it.each(["paper", "elitist", "random"] as const)(`%s reaches its target on every seed within ${BUDGET} evaluations`, (strategy) => {
    const bests = run(strategy);
    const t = targets[name][strategy];
    for (const b of bests) expect(b).toBeGreaterThanOrEqual(t.each);
    expect(mean(bests)).toBeGreaterThanOrEqual(t.mean);
  });

  it("elitist beats random on average over 10 seeds, by a clear margin", () => {
    const elitist = run("elitist");
    const random = run("random");
    // measured margins: OneMax 6.1, sphere 4.18, DRNN 0.165
    const margin = { onemax: 3, sphere: 2, drnn: 0.1 }[name];
    expect(mean(elitist) - mean(random)).toBeGreaterThan(margin);
    expect(elitist.filter((e, i) => e > random[i]!).length).toBeGreaterThanOrEqual(9);
  });
});

describe("time to target", () => {
  it("elitist finds the OneMax(32) optimum within 1,500 evaluations on every seed (measured 296..1,067)", () => {
    for (const seed of SEEDS) {
      const engine = GaEngine.create(problems.onemax.space, { strategy: "elitist", seed, populationSize: 20, generations: 10_000, maxEvaluations: 1500 });
      let hitAt: number | null = null;
      while (!engine.done && hitAt === null) {
        for (const c of engine.ask()) {
          const fit = oneMax(c.genes);
          engine.tell(c.hash, fit);
          if (fit === 32 && hitAt === null) hitAt = engine.evaluations;
        }
      }
      expect(hitAt, `seed ${seed}`).not.toBeNull();
    }
  });

  // Measured 469..2,728 evaluations (seed 8 the slowest) since the GA draws from the platform's one generator
  // (@drnn/contract's Rng: the data package's seeding, int() by scaling); with the GA's former sfc32 seeding and
  // rejection-sampled int() it was 726..2,196 under a bound of 2,500.
  it("elitist gets sphere(5) within 0.01 of the optimum within 3,000 evaluations on every seed (measured 469..2,728)", () => {
    for (const seed of SEEDS) {
      const engine = GaEngine.create(problems.sphere.space, { strategy: "elitist", seed, populationSize: 20, generations: 10_000, maxEvaluations: 3000 });
      runToCompletion(engine, sphere);
      expect(engine.best!.fitness, `seed ${seed}`).toBeGreaterThanOrEqual(-0.01);
    }
  });
});
