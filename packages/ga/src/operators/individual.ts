// DEAP-style individual: a chromosome, its canonical hash and its fitness.
// fitness === null means "invalid": the chromosome changed and needs
// evaluation. Individuals are values: operators build new ones.
import { chromosomeHash } from "../chromosome/canonical.js";
import type { Chromosome } from "../chromosome/types.js";
import type { SearchSpace } from "../search-space/schema.js";

export interface Individual {
  readonly genes: Chromosome;
  readonly hash: string;
  readonly fitness: number | null;
}

export function makeIndividual(space: SearchSpace, genes: Chromosome, fitness: number | null = null): Individual {
  return { genes, hash: chromosomeHash(space, genes), fitness };
}

/**
 * The child of `parent` after variation: it keeps the parent's fitness only
 * when it still builds the same model, otherwise it must be evaluated.
 */
export function deriveIndividual(space: SearchSpace, parent: Individual, genes: Chromosome): Individual {
  const hash = chromosomeHash(space, genes);
  return { genes, hash, fitness: hash === parent.hash ? parent.fitness : null };
}

export function isEvaluated(ind: Individual): ind is Individual & { readonly fitness: number } {
  return ind.fitness !== null;
}

/** Unevaluated individuals rank below every evaluated one. */
export function fitnessKey(ind: Individual): number {
  return ind.fitness ?? -Infinity;
}
