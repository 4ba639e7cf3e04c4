// Turns user JSON into a complete chromosome: genes left out take the
// space's defaults, everything given is checked against the space, and all
// problems are reported together so a user fixes them in one go.
import { intBounds, listLength } from "../search-space/genes.js";
import type { GeneSpec, IntGeneSpec, IntListGeneSpec, SearchSpace } from "../search-space/schema.js";
import { InvalidChromosomeError, type ChromosomeIssue } from "./errors.js";
import type { Chromosome, GeneValue } from "./types.js";

type Outcome = { ok: true; value: GeneValue } | { ok: false; issues: ChromosomeIssue[] };

export function validateChromosome(space: SearchSpace, json: unknown): Chromosome {
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new InvalidChromosomeError([{ gene: "(chromosome)", value: json, allowed: "a JSON object of genes" }]);
  }
  const input = json as Record<string, unknown>;
  const issues = unknownGeneIssues(space, input);
  const out: Record<string, GeneValue> = {};
  const broken = new Set<string>();
  for (const gene of space.genes) {
    const outcome = resolveGene(gene, input, out, broken);
    if (outcome.ok) {
      out[gene.name] = outcome.value;
    } else {
      issues.push(...outcome.issues);
      broken.add(gene.name);
    }
  }
  if (issues.length > 0) throw new InvalidChromosomeError(issues);
  return out;
}

/** Like validateChromosome, but returns the issues instead of throwing. */
export function checkChromosome(
  space: SearchSpace,
  json: unknown,
): { ok: true; chromosome: Chromosome } | { ok: false; issues: readonly ChromosomeIssue[] } {
  try {
    return { ok: true, chromosome: validateChromosome(space, json) };
  } catch (error) {
    if (error instanceof InvalidChromosomeError) return { ok: false, issues: error.issues };
    throw error;
  }
}

function unknownGeneIssues(space: SearchSpace, input: Record<string, unknown>): ChromosomeIssue[] {
  const names = new Set(space.genes.map((g) => g.name));
  // A misspelt gene silently taking its default would train the wrong model.
  return Object.keys(input)
    .filter((key) => !names.has(key))
    .map((key) => ({ gene: key, value: input[key], allowed: `one of the genes ${[...names].join(", ")}` }));
}

function resolveGene(
  gene: GeneSpec,
  input: Record<string, unknown>,
  done: Record<string, GeneValue>,
  broken: ReadonlySet<string>,
): Outcome {
  const given = Object.hasOwn(input, gene.name) ? input[gene.name] : undefined;
  // Checks that depend on a gene that is itself invalid would only add noise.
  if (dependsOnBroken(gene, broken)) return { ok: true, value: defaultValue(gene, done) };
  if (given === undefined) return { ok: true, value: defaultValue(gene, done) };
  switch (gene.type) {
    case "int":
      return checkInt(gene, given, done);
    case "float":
    case "log-float":
      return checkNumber(gene.name, given, gene.min, gene.max, `number in [${gene.min}, ${gene.max}]`);
    case "categorical":
      return typeof given === "string" && gene.choices.includes(given)
        ? { ok: true, value: given }
        : fail(gene.name, given, `one of ${gene.choices.join(", ")}`);
    case "bool":
      return typeof given === "boolean" ? { ok: true, value: given } : fail(gene.name, given, "true or false");
    case "int-list":
      return checkIntList(gene, given, done);
  }
}

function dependsOnBroken(gene: GeneSpec, broken: ReadonlySet<string>): boolean {
  if (gene.type === "int-list" && broken.has(gene.lengthGene)) return true;
  return gene.type === "int" && gene.maxGene !== undefined && broken.has(gene.maxGene);
}

function fail(gene: string, value: unknown, allowed: string): Outcome {
  return { ok: false, issues: [{ gene, value, allowed }] };
}

function checkNumber(name: string, given: unknown, min: number, max: number, allowed: string): Outcome {
  const ok = typeof given === "number" && Number.isFinite(given) && given >= min && given <= max;
  return ok ? { ok: true, value: given } : fail(name, given, allowed);
}

function checkInt(gene: IntGeneSpec, given: unknown, done: Chromosome): Outcome {
  const { min, max } = intBounds(gene, done, "valid");
  const cap = gene.maxGene === undefined ? "" : ` (at most ${gene.maxGene} = ${String(done[gene.maxGene])})`;
  const allowed = `integer in [${min}, ${max}]${cap}`;
  return Number.isInteger(given) ? checkNumber(gene.name, given, min, max, allowed) : fail(gene.name, given, allowed);
}

function checkIntList(gene: IntListGeneSpec, given: unknown, done: Chromosome): Outcome {
  const n = listLength(gene, done);
  const each = `integer in [${gene.min}, ${gene.max}]`;
  if (!Array.isArray(given) || given.length !== n) {
    return fail(gene.name, given, `a list of ${n} values (one per ${gene.lengthGene} = ${n}), each an ${each}`);
  }
  const issues = given.flatMap((v: unknown, i) =>
    Number.isInteger(v) && (v as number) >= gene.min && (v as number) <= gene.max
      ? []
      : [{ gene: `${gene.name}[${i}]`, value: v, allowed: each }],
  );
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: given.slice() as number[] };
}

/**
 * Defaults follow earlier genes: a list default is cut or padded (repeating
 * its last value) to the length its length gene now has, and a capped int is
 * held under its cap, so `{"l": 2}` alone still yields a consistent chromosome.
 */
export function defaultValue(gene: GeneSpec, done: Chromosome): GeneValue {
  switch (gene.type) {
    case "int": {
      const { min, max } = intBounds(gene, done, "valid");
      return Math.max(min, Math.min(max, gene.default));
    }
    case "int-list": {
      const n = listLength(gene, done);
      const filler = gene.default.at(-1) ?? gene.search?.min ?? gene.min;
      return Array.from({ length: n }, (_, i) => gene.default[i] ?? filler);
    }
    default:
      return gene.default;
  }
}
