import { describe, expect, it } from "vitest";
import { validateChromosome } from "../chromosome/validate.js";
import type { Chromosome } from "../chromosome/types.js";
import { Rng } from "../rng/rng.js";
import { cpuSearchSpace } from "../search-space/builtin.js";
import { geneByName, isGeneActive, numericBounds } from "../search-space/genes.js";
import { crossoverOnePoint, crossoverUniform } from "./crossover.js";
import { makeIndividual, type Individual } from "./individual.js";
import { mutate, mutateGene } from "./mutate.js";
import { sampleChromosome } from "./sample.js";
import { selectBest, selectRandom, selectTournament } from "./select.js";
import { deepFreeze } from "../testing/deep-freeze.js";

const space = cpuSearchSpace();
const names = space.genes.map((g) => g.name);

function randomIndividual(rng: Rng, fitness: number | null = 1): Individual {
  return deepFreeze(makeIndividual(space, sampleChromosome(space, rng), fitness));
}

/** Structure holds and every gene is valid: validation throws otherwise. */
function expectConsistent(genes: Chromosome): void {
  expect(validateChromosome(space, genes)).toEqual(genes);
  expect((genes.neurons as number[]).length).toBe(genes.l);
  expect(genes.h as number).toBeLessThanOrEqual(genes.l as number);
}

const changedGenes = (a: Chromosome, b: Chromosome) => names.filter((n) => JSON.stringify(a[n]) !== JSON.stringify(b[n]));

describe("sampleChromosome", () => {
  it("is deterministic for a seed and stays valid and inside the search ranges", () => {
    expect(sampleChromosome(space, Rng.fromSeed(9))).toEqual(sampleChromosome(space, Rng.fromSeed(9)));
    const rng = Rng.fromSeed(10);
    const seenL = new Set<number>();
    for (let i = 0; i < 300; i++) {
      const c = sampleChromosome(space, rng);
      expectConsistent(c);
      seenL.add(c.l as number);
      for (const name of ["w", "batchSize", "learningRate", "dropout"]) {
        const b = numericBounds(geneByName(space, name), c, "search");
        expect(c[name] as number).toBeGreaterThanOrEqual(b.min);
        expect(c[name] as number).toBeLessThanOrEqual(b.max);
      }
      for (const n of c.neurons as number[]) expect(n >= 16 && n <= 256).toBe(true);
    }
    expect([...seenL].sort()).toEqual([1, 2, 3]);
  });

  it("rounds floats to the gene's significant digits", () => {
    const c = sampleChromosome(space, Rng.fromSeed(11));
    expect(Number((c.learningRate as number).toPrecision(3))).toBe(c.learningRate);
    expect(Number((c.dropout as number).toPrecision(2))).toBe(c.dropout);
  });
});

describe("mutateGene", () => {
  it("changes only the named gene when nothing depends on it", () => {
    const rng = Rng.fromSeed(12);
    for (let i = 0; i < 100; i++) {
      const parent = randomIndividual(rng).genes;
      for (const name of ["w", "learningRate", "optimizer", "history", "batchSize", "pointer"]) {
        const child = mutateGene(space, parent, name, rng);
        expect(changedGenes(parent, child)).toEqual([name]);
      }
    }
  });

  it("resizes neurons when l changes, keeping the surviving layers, and keeps h <= l", () => {
    const rng = Rng.fromSeed(13);
    let grew = 0;
    let shrank = 0;
    for (let i = 0; i < 200; i++) {
      const parent = randomIndividual(rng).genes;
      const child = mutateGene(space, parent, "l", rng);
      expectConsistent(child);
      const [pl, cl] = [parent.l as number, child.l as number];
      expect(cl).not.toBe(pl);
      const kept = Math.min(pl, cl);
      expect((child.neurons as number[]).slice(0, kept)).toEqual((parent.neurons as number[]).slice(0, kept));
      expect(changedGenes(parent, child).every((n) => ["l", "neurons", "h"].includes(n))).toBe(true);
      if (cl > pl) grew++;
      else shrank++;
    }
    expect(grew).toBeGreaterThan(20);
    expect(shrank).toBeGreaterThan(20);
  });

  it("moves a log-float by factors (gaussian in log space) within the search range", () => {
    const rng = Rng.fromSeed(14);
    const parent = validateChromosome(space, { learningRate: 0.01 });
    const ratios = Array.from({ length: 400 }, () => Math.log((mutateGene(space, parent, "learningRate", rng).learningRate as number) / 0.01));
    const mean = ratios.reduce((a, b) => a + b) / ratios.length;
    expect(Math.abs(mean)).toBeLessThan(0.15); // symmetric in log space
    expect(ratios.some((r) => r > 0.5) && ratios.some((r) => r < -0.5)).toBe(true);
  });

  it("resamples a categorical among the other choices", () => {
    const rng = Rng.fromSeed(15);
    const parent = validateChromosome(space, { optimizer: "sgd" });
    const seen = new Set(Array.from({ length: 200 }, () => mutateGene(space, parent, "optimizer", rng).optimizer));
    expect([...seen].sort()).toEqual(["adagrad", "adam", "momentum", "rmsprop"]);
  });
});

describe("mutate", () => {
  it("is deterministic for a seed, never touches its input, and invalidates only changed children", () => {
    const run = () => {
      const rng = Rng.fromSeed(16);
      const parent = randomIndividual(rng, 0.7);
      return { parent, child: mutate(space, parent, 0.3, rng) };
    };
    const a = run();
    expect(run().child).toEqual(a.child);
    expect(a.child).not.toBe(a.parent);
    expect(a.child.fitness).toBeNull();
    expect(a.child.hash).not.toBe(a.parent.hash);
    const rng = Rng.fromSeed(17);
    const same = mutate(space, a.parent, 0, rng); // pm = 0: no gene drawn
    expect(same).toBe(a.parent);
    expect(same.fitness).toBe(0.7);
  });

  it("with atLeastOne always changes the model, and skips dormant genes", () => {
    const rng = Rng.fromSeed(18);
    const parent = deepFreeze(makeIndividual(space, validateChromosome(space, { fnnLayers: 0, fnnNeurons: 64 }), 1));
    for (let i = 0; i < 200; i++) {
      const child = mutate(space, parent, 0, rng, { atLeastOne: true });
      expect(child.hash).not.toBe(parent.hash);
      if (child.genes.fnnLayers === 0) expect(child.genes.fnnNeurons).toBe(64);
    }
  });

  it("keeps structure consistent over long random mutation chains", () => {
    const rng = Rng.fromSeed(19);
    let ind = randomIndividual(rng);
    for (let i = 0; i < 500; i++) {
      ind = mutate(space, ind, 0.3, rng, { atLeastOne: true });
      expectConsistent(ind.genes);
    }
  });
});

describe("crossover", () => {
  it("uniform: every scalar gene of a child comes from the same locus of a parent, and the pair swaps", () => {
    const rng = Rng.fromSeed(20);
    for (let i = 0; i < 200; i++) {
      const [a, b] = [randomIndividual(rng), randomIndividual(rng)];
      const [x, y] = crossoverUniform(space, a, b, rng);
      expectConsistent(x.genes);
      expectConsistent(y.genes);
      for (const gene of space.genes) {
        if (gene.type === "int-list" || gene.name === "h") continue; // resized / capped by l
        const [va, vb, vx, vy] = [a, b, x, y].map((p) => p.genes[gene.name]);
        expect([va, vb]).toContainEqual(vx);
        expect(vx === va ? vy : va).toEqual(vx === va ? vb : vy);
      }
      // list elements come from the parents' lists at the same position
      (x.genes.neurons as number[]).forEach((n, k) => {
        expect([(a.genes.neurons as number[])[k], (b.genes.neurons as number[])[k]]).toContain(n);
      });
    }
  });

  it("one-point: a prefix of one parent followed by the suffix of the other", () => {
    const rng = Rng.fromSeed(21);
    const a = deepFreeze(makeIndividual(space, validateChromosome(space, { w: 2, l: 2, h: 2, neurons: [20, 21], optimizer: "adam", pointer: true }), 1));
    const b = deepFreeze(makeIndividual(space, validateChromosome(space, { w: 5, l: 2, h: 1, neurons: [30, 31], optimizer: "rmsprop", batchSize: 64 }), 2));
    const cuts = new Set<number>();
    for (let i = 0; i < 100; i++) {
      const [x, y] = crossoverOnePoint(space, a, b, rng);
      const fromB = names.map((n) => JSON.stringify(x.genes[n]) === JSON.stringify(b.genes[n]) && JSON.stringify(a.genes[n]) !== JSON.stringify(b.genes[n]));
      const firstB = names.findIndex((n, k) => JSON.stringify(x.genes[n]) !== JSON.stringify(a.genes[n]) && fromB[k]);
      if (firstB >= 0) {
        cuts.add(firstB);
        // after the cut nothing of x comes from a where the parents differ
        names.slice(firstB).forEach((n) => expect(x.genes[n]).toEqual(b.genes[n]));
        names.slice(firstB).forEach((n) => expect(y.genes[n]).toEqual(a.genes[n]));
      }
    }
    expect(cuts.size).toBeGreaterThan(3);
  });

  it("repairs structure when l and neurons come from different parents", () => {
    const rng = Rng.fromSeed(22);
    const a = deepFreeze(makeIndividual(space, validateChromosome(space, { l: 1, h: 1, neurons: [20] }), 1));
    const b = deepFreeze(makeIndividual(space, validateChromosome(space, { l: 3, h: 3, neurons: [30, 31, 32] }), 2));
    const seen = new Set<string>();
    for (let i = 0; i < 300; i++) {
      for (const child of [...crossoverUniform(space, a, b, rng), ...crossoverOnePoint(space, a, b, rng)]) {
        expectConsistent(child.genes);
        seen.add(JSON.stringify(child.genes.neurons));
      }
    }
    // l=3 with a's first layer keeps b's deeper layers; l=1 with b's list is cut
    expect(seen).toContain("[20,31,32]");
    expect(seen).toContain("[30]");
  });

  it("identical parents give identical children that keep their fitness; inputs stay untouched", () => {
    const rng = Rng.fromSeed(23);
    const a = randomIndividual(rng, 0.4);
    const [x, y] = crossoverUniform(space, a, a, rng);
    expect([x.fitness, y.fitness]).toEqual([0.4, 0.4]);
    expect(x.genes).toEqual(a.genes);
    const b = randomIndividual(rng, 0.9);
    const [p, q] = crossoverUniform(space, a, b, rng);
    expect(p.fitness === null || p.hash === a.hash).toBe(true);
    expect(q.fitness === null || q.hash === b.hash).toBe(true);
    expect(Object.isFrozen(a.genes) && Object.isFrozen(b.genes)).toBe(true); // deepFreeze would make writes throw
  });

  it("is deterministic for a seed", () => {
    const run = () => {
      const rng = Rng.fromSeed(24);
      return crossoverUniform(space, randomIndividual(rng), randomIndividual(rng), rng);
    };
    expect(run()).toEqual(run());
  });
});

describe("selection", () => {
  const rng = Rng.fromSeed(25);
  const pop = [0.1, 0.9, 0.5, null, 0.9, 0.3].map((f) => randomIndividual(rng, f));

  it("selectBest orders by fitness, ties by position, unevaluated last", () => {
    expect(selectBest(pop, 4)).toEqual([pop[1], pop[4], pop[2], pop[5]]);
    expect(selectBest(pop, 6).at(-1)).toBe(pop[3]);
  });

  it("selectTournament with the whole population as aspirants is almost always the best", () => {
    const winners = selectTournament(pop, 200, 30, Rng.fromSeed(26));
    const fits = winners.map((w) => w.fitness);
    expect(fits.filter((f) => f === 0.9).length).toBeGreaterThan(195);
    const size1 = selectTournament(pop, 600, 1, Rng.fromSeed(27));
    expect(new Set(size1).size).toBe(pop.length); // size 1 = uniform
  });

  it("selectRandom is deterministic per seed and returns members only", () => {
    const a = selectRandom(pop, 10, Rng.fromSeed(28));
    expect(selectRandom(pop, 10, Rng.fromSeed(28))).toEqual(a);
    for (const ind of a) expect(pop).toContain(ind);
  });

  it("active-gene helper agrees with conditions", () => {
    const g = geneByName(space, "fnnNeurons");
    expect(pop.every((p) => isGeneActive(space, p.genes, g) === (p.genes.fnnLayers as number) > 0)).toBe(true);
  });
});
