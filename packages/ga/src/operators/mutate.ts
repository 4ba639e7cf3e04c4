import type { Chromosome, GeneValue } from "../chromosome/types.js";
import type { Rng } from "../rng/rng.js";
import { geneByName, intBounds, isGeneActive, numericBounds } from "../search-space/genes.js";
import type { GeneSpec, SearchSpace } from "../search-space/schema.js";
import { deriveIndividual, type Individual } from "./individual.js";
import { repairStructure, type ListFiller } from "./structure.js";
import { mutateFloat, mutateInt, sampleInt } from "./values.js";

export interface MutateOptions {
  /**
   * Force one gene to change when the per-gene draws pick none, so that
   * "mutate(c)" in Algorithm 2 always mutates something.
   */
  readonly atLeastOne?: boolean;
}

/**
 * Mutates one gene and repairs the structure: when a length gene (l) moves,
 * its lists grow with freshly drawn values or are cut, and capped genes (h)
 * follow their cap.
 */
export function mutateGene(space: SearchSpace, genes: Chromosome, name: string, rng: Rng): Chromosome {
  const gene = geneByName(space, name);
  const changed = { ...genes, [name]: mutatedValue(gene, genes, rng) };
  return repairStructure(space, changed, samplingFiller(changed, rng));
}

/**
 * DEAP-style per-gene mutation: each active gene mutates with probability
 * pm. Dormant genes are skipped since changing them cannot change the model.
 */
export function mutate(space: SearchSpace, ind: Individual, pm: number, rng: Rng, options: MutateOptions = {}): Individual {
  const active = space.genes.filter((g) => isGeneActive(space, ind.genes, g)).map((g) => g.name);
  let chosen = active.filter(() => rng.bernoulli(pm));
  if (chosen.length === 0 && options.atLeastOne && active.length > 0) chosen = [rng.pick(active)];
  let genes = ind.genes;
  for (const name of chosen) genes = mutateGene(space, genes, name, rng);
  return chosen.length === 0 ? ind : deriveIndividual(space, ind, genes);
}

function mutatedValue(gene: GeneSpec, genes: Chromosome, rng: Rng): GeneValue {
  const value = genes[gene.name];
  switch (gene.type) {
    case "int":
      return mutateInt(rng, Number(value), intBounds(gene, genes, "search"), gene.log ?? false);
    case "float":
    case "log-float":
      return mutateFloat(rng, Number(value), numericBounds(gene, genes, "search"), gene.type === "log-float", gene.digits);
    case "categorical": {
      // Redraw among the other choices: a "mutation" to the same value is wasted.
      const others = gene.choices.filter((c) => c !== value);
      return others.length > 0 ? rng.pick(others) : gene.default;
    }
    case "bool":
      return !value;
    case "int-list":
      return mutateListElement(gene, Array.isArray(value) ? value : [], genes, rng);
  }
}

function mutateListElement(gene: GeneSpec & { type: "int-list" }, list: number[], genes: Chromosome, rng: Rng): number[] {
  if (list.length === 0) return [];
  const i = rng.int(0, list.length - 1);
  const out = list.slice();
  out[i] = mutateInt(rng, list[i] as number, numericBounds(gene, genes, "search"), gene.log ?? false);
  return out;
}

function samplingFiller(genes: Chromosome, rng: Rng): ListFiller {
  return (gene) => sampleInt(rng, numericBounds(gene, genes, "search"), gene.log ?? false);
}
