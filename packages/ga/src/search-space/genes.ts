// Reading a search space against a chromosome: which genes are active, and
// which numeric bounds apply once dynamic maxima (h <= l) are resolved.
import { DrnnError } from "@drnn/contract";
import type { Chromosome, GeneValue } from "../chromosome/types.js";
import type { Condition, GeneSpec, IntGeneSpec, IntListGeneSpec, SearchSpace } from "./schema.js";

export class UnknownGeneError extends DrnnError {
  override readonly name = "UnknownGeneError";
  readonly code = "UNKNOWN_GENE" as const;
}

export function geneByName(space: SearchSpace, name: string): GeneSpec {
  const gene = space.genes.find((g) => g.name === name);
  if (!gene) throw new UnknownGeneError(`search space "${space.name}" has no gene "${name}"`);
  return gene;
}

export function geneNames(space: SearchSpace): string[] {
  return space.genes.map((g) => g.name);
}

/**
 * A gene is active when all its conditions hold and every gene those
 * conditions read is itself active: a condition on a dormant gene cannot
 * switch anything on.
 */
export function isGeneActive(space: SearchSpace, c: Chromosome, gene: GeneSpec): boolean {
  return (gene.when ?? []).every(
    (cond) => isGeneActive(space, c, geneByName(space, cond.gene)) && conditionHolds(cond, c[cond.gene]),
  );
}

function conditionHolds(cond: Condition, value: GeneValue | undefined): boolean {
  if (value === undefined || Array.isArray(value)) return false;
  const target = cond.value;
  switch (cond.op) {
    case "eq":
      return value === target;
    case "ne":
      return value !== target;
    case "in":
      return Array.isArray(target) && target.includes(value);
    default:
      return typeof value === "number" && typeof target === "number" && compare(cond.op, value, target);
  }
}

function compare(op: "gt" | "gte" | "lt" | "lte", a: number, b: number): boolean {
  if (op === "gt") return a > b;
  if (op === "gte") return a >= b;
  if (op === "lt") return a < b;
  return a <= b;
}

export interface Bounds {
  readonly min: number;
  readonly max: number;
}

/**
 * "valid" bounds are what a chromosome may hold; "search" bounds are the
 * narrower region the GA samples and mutates in. A maxGene caps both.
 */
export function intBounds(gene: IntGeneSpec, c: Chromosome, kind: "valid" | "search"): Bounds {
  const base = kind === "search" && gene.search ? gene.search : gene;
  const cap = gene.maxGene === undefined ? Infinity : Number(c[gene.maxGene]);
  const max = Math.min(base.max, Number.isFinite(cap) ? cap : base.max);
  return { min: Math.min(base.min, max), max };
}

export function numericBounds(gene: GeneSpec, c: Chromosome, kind: "valid" | "search"): Bounds {
  if (gene.type === "int") return intBounds(gene, c, kind);
  if (gene.type === "float" || gene.type === "log-float" || gene.type === "int-list") {
    return kind === "search" && gene.search ? gene.search : { min: gene.min, max: gene.max };
  }
  throw new TypeError(`gene "${gene.name}" is ${gene.type}, not numeric`);
}

/** The length an int-list must have in this chromosome. */
export function listLength(gene: IntListGeneSpec, c: Chromosome): number {
  const n = c[gene.lengthGene];
  return typeof n === "number" && Number.isInteger(n) && n >= 0 ? n : 0;
}
