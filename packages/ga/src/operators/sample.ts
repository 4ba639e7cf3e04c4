import type { Chromosome, GeneValue } from "../chromosome/types.js";
import type { Rng } from "../rng/rng.js";
import { intBounds, listLength, numericBounds } from "../search-space/genes.js";
import type { GeneSpec, SearchSpace } from "../search-space/schema.js";
import { sampleFloat, sampleInt } from "./values.js";

/**
 * A uniformly random chromosome inside the search ranges. Dormant genes are
 * drawn too: they are kept as genetic material a later mutation may switch on.
 */
export function sampleChromosome(space: SearchSpace, rng: Rng): Chromosome {
  const out: Record<string, GeneValue> = {};
  for (const gene of space.genes) out[gene.name] = sampleGene(gene, out, rng);
  return out;
}

/** A fresh value for one gene, given the genes before it. */
export function sampleGene(gene: GeneSpec, before: Chromosome, rng: Rng): GeneValue {
  switch (gene.type) {
    case "int":
      return sampleInt(rng, intBounds(gene, before, "search"), gene.log ?? false);
    case "float":
    case "log-float":
      return sampleFloat(rng, numericBounds(gene, before, "search"), gene.type === "log-float", gene.digits);
    case "categorical":
      return rng.pick(gene.choices);
    case "bool":
      return rng.bernoulli(0.5);
    case "int-list": {
      const b = numericBounds(gene, before, "search");
      return Array.from({ length: listLength(gene, before) }, () => sampleInt(rng, b, gene.log ?? false));
    }
  }
}
