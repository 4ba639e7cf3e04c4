// Keeps a chromosome structurally consistent after variation: every list is
// as long as its length gene says (neurons follow l) and every capped int
// sits under its cap (h <= l). One left-to-right pass suffices because genes
// only refer to earlier genes.
import type { Chromosome, GeneValue } from "../chromosome/types.js";
import { intBounds, listLength } from "../search-space/genes.js";
import type { IntListGeneSpec, SearchSpace } from "../search-space/schema.js";

/** Supplies element `index` of a list gene that has to grow. */
export type ListFiller = (gene: IntListGeneSpec, index: number) => number;

export function repairStructure(space: SearchSpace, genes: Chromosome, fill: ListFiller): Chromosome {
  const out: Record<string, GeneValue> = { ...genes };
  for (const gene of space.genes) {
    const value = out[gene.name];
    if (gene.type === "int-list" && Array.isArray(value)) {
      out[gene.name] = resizeList(value, listLength(gene, out), (i) => fill(gene, i));
    } else if (gene.type === "int" && gene.maxGene !== undefined && typeof value === "number") {
      const { max } = intBounds(gene, out, "valid");
      out[gene.name] = Math.min(value, max);
    }
  }
  return out;
}

export function resizeList(list: readonly number[], length: number, fill: (index: number) => number): number[] {
  return Array.from({ length }, (_, i) => (i < list.length ? (list[i] as number) : fill(i)));
}

/**
 * Filler for crossover: take the element from whichever parent has one at
 * that position (a child's length always comes from one of its parents, so
 * one of them does), never inventing values.
 */
export function parentFiller(...parents: Chromosome[]): ListFiller {
  return (gene, index) => {
    for (const p of parents) {
      const list = p[gene.name];
      if (Array.isArray(list) && index < list.length) return list[index] as number;
    }
    const own = parents[0]?.[gene.name];
    return Array.isArray(own) && own.length > 0 ? (own.at(-1) as number) : gene.min;
  };
}
