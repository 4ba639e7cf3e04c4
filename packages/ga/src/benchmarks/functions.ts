// Known-optimum fitness functions, DEAP-benchmark style, for testing and
// benchmarking strategies without training anything.
import type { Chromosome } from "../chromosome/types.js";
import { isGeneActive, listLength } from "../search-space/genes.js";
import type { GeneSpec, SearchSpace } from "../search-space/schema.js";

/** OneMax: `bits` bool genes b0..b{n-1}; fitness = number of true genes (optimum n). */
export function oneMaxSpace(bits: number): SearchSpace {
  return {
    name: `onemax-${bits}`,
    genes: Array.from({ length: bits }, (_, i) => ({ name: `b${i}`, type: "bool" as const, default: false })),
  };
}

export function oneMax(genes: Chromosome): number {
  return Object.values(genes).filter((v) => v === true).length;
}

/** Sphere: `dims` float genes x0.. in [-5.12, 5.12]; fitness = -sum x^2 (optimum 0 at the origin). */
export function sphereSpace(dims: number, digits = 4): SearchSpace {
  return {
    name: `sphere-${dims}`,
    genes: Array.from({ length: dims }, (_, i) => ({
      name: `x${i}`,
      type: "float" as const,
      min: -5.12,
      max: 5.12,
      default: 5.12,
      digits,
    })),
  };
}

export function sphere(genes: Chromosome): number {
  return -Object.values(genes).reduce<number>((sum, v) => sum + (typeof v === "number" ? v * v : 0), 0);
}

/**
 * A stand-in for "train and score" over a real chromosome space: 1 at
 * `target`, less the further each active gene is from it (numeric genes by
 * their distance relative to the search range, on a log scale where the gene
 * is log-scaled; others by equality). Every active gene weighs the same, and
 * a missing or extra layer costs like a maximally wrong neuron count.
 */
export function distanceFitness(space: SearchSpace, target: Chromosome): (genes: Chromosome) => number {
  return (genes) => {
    let score = 0;
    let count = 0;
    for (const gene of space.genes) {
      const active = isGeneActive(space, genes, gene);
      if (active !== isGeneActive(space, target, gene)) {
        count++;
        continue;
      }
      if (!active) continue;
      score += geneCloseness(gene, genes, target);
      count++;
    }
    return count === 0 ? 1 : score / count;
  };
}

function geneCloseness(gene: GeneSpec, genes: Chromosome, target: Chromosome): number {
  const a = genes[gene.name];
  const b = target[gene.name];
  switch (gene.type) {
    case "int":
    case "float":
    case "log-float":
      return closeness(Number(a), Number(b), gene.search ?? gene, gene.type === "log-float" || (gene.type === "int" && gene.log === true));
    case "int-list": {
      const n = Math.max(listLength(gene, genes), listLength(gene, target), 1);
      const xs = Array.isArray(a) ? a : [];
      const ys = Array.isArray(b) ? b : [];
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const x = xs[i];
        const y = ys[i];
        if (x !== undefined && y !== undefined) sum += closeness(x, y, gene.search ?? gene, gene.log === true);
      }
      return sum / n;
    }
    default:
      return a === b ? 1 : 0;
  }
}

function closeness(a: number, b: number, range: { min: number; max: number }, log: boolean): number {
  const f = log ? Math.log : (x: number) => x;
  const width = f(range.max) - f(range.min);
  if (width <= 0) return a === b ? 1 : 0;
  return Math.max(0, 1 - Math.abs(f(a) - f(b)) / width);
}
