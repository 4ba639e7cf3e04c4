// Crossovers exchange whole gene values between two parents, then repair the
// structure so conditional genes stay consistent (neurons follow l, h <= l).
// List genes are exchanged element by element over their common prefix,
// which is how the paper's flat (w, l, h, a_1..a_L, ...) vector behaves.
import type { Chromosome, GeneValue } from "../chromosome/types.js";
import type { Rng } from "../rng/rng.js";
import type { SearchSpace } from "../search-space/schema.js";
import { deriveIndividual, type Individual } from "./individual.js";
import { parentFiller, repairStructure } from "./structure.js";

export type CrossoverKind = "uniform" | "one-point";

/** Each gene (and list element) swaps between the parents with probability indpb. */
export function crossoverUniform(
  space: SearchSpace,
  a: Individual,
  b: Individual,
  rng: Rng,
  indpb = 0.5,
): [Individual, Individual] {
  const x: Record<string, GeneValue> = { ...a.genes };
  const y: Record<string, GeneValue> = { ...b.genes };
  for (const gene of space.genes) {
    const va = a.genes[gene.name] as GeneValue;
    const vb = b.genes[gene.name] as GeneValue;
    if (Array.isArray(va) && Array.isArray(vb)) {
      [x[gene.name], y[gene.name]] = swapElements(va, vb, rng, indpb);
    } else if (rng.bernoulli(indpb)) {
      x[gene.name] = vb;
      y[gene.name] = va;
    }
  }
  return finish(space, a, b, x, y);
}

/** Cuts the gene list at one point in [1, genes - 1] and swaps the tails. */
export function crossoverOnePoint(space: SearchSpace, a: Individual, b: Individual, rng: Rng): [Individual, Individual] {
  const names = space.genes.map((g) => g.name);
  if (names.length < 2) return [a, b];
  const cut = rng.int(1, names.length - 1);
  const x: Record<string, GeneValue> = { ...a.genes };
  const y: Record<string, GeneValue> = { ...b.genes };
  for (const name of names.slice(cut)) {
    x[name] = copy(b.genes[name] as GeneValue);
    y[name] = copy(a.genes[name] as GeneValue);
  }
  return finish(space, a, b, x, y);
}

export function crossover(
  kind: CrossoverKind,
  space: SearchSpace,
  a: Individual,
  b: Individual,
  rng: Rng,
): [Individual, Individual] {
  return kind === "uniform" ? crossoverUniform(space, a, b, rng) : crossoverOnePoint(space, a, b, rng);
}

function swapElements(va: number[], vb: number[], rng: Rng, indpb: number): [number[], number[]] {
  const x = va.slice();
  const y = vb.slice();
  for (let i = 0; i < Math.min(va.length, vb.length); i++) {
    if (rng.bernoulli(indpb)) {
      x[i] = vb[i] as number;
      y[i] = va[i] as number;
    }
  }
  return [x, y];
}

function finish(
  space: SearchSpace,
  a: Individual,
  b: Individual,
  x: Chromosome,
  y: Chromosome,
): [Individual, Individual] {
  // A child short of list elements takes them from the other parent first:
  // its length gene came from that parent, so that parent has them.
  const cx = repairStructure(space, x, parentFiller(b.genes, a.genes));
  const cy = repairStructure(space, y, parentFiller(a.genes, b.genes));
  return [deriveIndividual(space, a, cx), deriveIndividual(space, b, cy)];
}

function copy(v: GeneValue): GeneValue {
  return Array.isArray(v) ? v.slice() : v;
}
