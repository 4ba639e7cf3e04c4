// Canonical form: what the model builder actually reads. Dormant genes (a
// condition switches them off) are dropped, so chromosomes that build the
// same model share one hash and are trained once per campaign.
import { canonicalJson } from "../hash/canonical-json.js";
import { sha256Hex } from "../hash/sha256.js";
import { isGeneActive } from "../search-space/genes.js";
import type { SearchSpace } from "../search-space/schema.js";
import type { Chromosome, GeneValue } from "./types.js";
import { validateChromosome } from "./validate.js";

/** Validates `json`, fills defaults, and keeps only active genes. */
export function canonicalChromosome(space: SearchSpace, json: unknown): Chromosome {
  const full = validateChromosome(space, json);
  const out: Record<string, GeneValue> = {};
  for (const gene of space.genes) {
    if (!isGeneActive(space, full, gene)) continue;
    const value = full[gene.name] as GeneValue;
    out[gene.name] = Array.isArray(value) ? value.slice() : value;
  }
  return out;
}

/** sha256 (hex) of the canonical form as sorted-key JSON. */
export function chromosomeHash(space: SearchSpace, json: unknown): string {
  return sha256Hex(canonicalJson(canonicalChromosome(space, json)));
}

/** True when both build the same model (same canonical hash). */
export function sameModel(space: SearchSpace, a: unknown, b: unknown): boolean {
  return chromosomeHash(space, a) === chromosomeHash(space, b);
}
