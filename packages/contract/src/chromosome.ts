// The chromosome's JSON form, part of the command-line contract: genes left
// out take their defaults (a list default is cut or padded to its length
// gene, a capped int held under its cap, as the GA's validator does), every
// gene given is checked, unknown genes are refused (a misspelt gene silently
// taking its default would train the wrong model), all problems at once.
import { z } from "zod";
import { DrnnError } from "./errors.js";
import { DRNN_GENES, type DrnnChromosome, type GeneDef } from "./genes.js";

export interface ChromosomeIssue {
  /** The gene, or "neurons[1]" for one element of a list gene. */
  readonly gene: string;
  /** The offending value as given. */
  readonly value: unknown;
  /** What the gene accepts here, e.g. "integer in [1, 3] (at most l = 3)". */
  readonly allowed: string;
}

export function formatIssue(issue: ChromosomeIssue): string {
  return `${issue.gene} = ${JSON.stringify(issue.value) ?? String(issue.value)}, allowed: ${issue.allowed}`;
}

/** A chromosome its schema or search space refuses. */
export class InvalidChromosomeError extends DrnnError {
  override readonly name = "InvalidChromosomeError";
  readonly code = "INVALID_CHROMOSOME" as const;
  constructor(readonly issues: readonly ChromosomeIssue[]) {
    super(`invalid chromosome: ${issues.map(formatIssue).join("; ")}`);
  }
}

function allowedText(g: GeneDef): string {
  switch (g.type) {
    case "int":
      return `integer in [${g.min}, ${g.max}]`;
    case "float":
    case "log-float":
      return `number in [${g.min}, ${g.max}]`;
    case "categorical":
      return `one of ${g.choices.join(", ")}`;
    case "bool":
      return "true or false";
    case "int-list":
      return `a list of integers in [${g.min}, ${g.max}], one per ${g.lengthGene}`;
  }
}

function geneSchema(g: GeneDef): z.ZodType {
  const error = allowedText(g);
  switch (g.type) {
    case "int":
      return z.int({ error }).min(g.min, { error }).max(g.max, { error });
    case "float":
    case "log-float":
      return z.number({ error }).min(g.min, { error }).max(g.max, { error });
    case "categorical":
      return z.enum(g.choices as [string, ...string[]], { error });
    case "bool":
      return z.boolean({ error });
    case "int-list":
      return z.array(z.int({ error }).min(g.min, { error }).max(g.max, { error }), { error });
  }
}

/** The default of `g` given the genes resolved before it. */
function defaultOf(g: GeneDef, done: Readonly<Record<string, unknown>>): unknown {
  if (g.type === "int" && g.maxGene !== undefined) return Math.min(g.default, Number(done[g.maxGene]));
  if (g.type === "int-list") {
    const n = Number(done[g.lengthGene]);
    const filler = g.default.at(-1) ?? g.min;
    return Array.from({ length: n }, (_, i) => g.default[i] ?? filler);
  }
  return Array.isArray(g.default) ? [...g.default] : g.default;
}

const GivenSchema = z.strictObject(Object.fromEntries(DRNN_GENES.map((g) => [g.name, geneSchema(g).optional()])));

/** Fills the genes left out, in order, and checks what one gene says of another (h <= l, one neuron count per layer). */
function complete(given: Readonly<Record<string, unknown>>): { chromosome: Record<string, unknown>; issues: ChromosomeIssue[] } {
  const out: Record<string, unknown> = {};
  const issues: ChromosomeIssue[] = [];
  for (const g of DRNN_GENES as readonly GeneDef[]) {
    const value = given[g.name];
    out[g.name] = value === undefined ? defaultOf(g, out) : value;
    if (value === undefined) continue;
    if (g.type === "int" && g.maxGene !== undefined && (value as number) > Number(out[g.maxGene])) {
      const cap = String(out[g.maxGene]);
      issues.push({ gene: g.name, value, allowed: `integer in [${g.min}, ${cap}] (at most ${g.maxGene} = ${cap})` });
    }
    if (g.type === "int-list" && (value as unknown[]).length !== Number(out[g.lengthGene])) {
      const n = Number(out[g.lengthGene]);
      issues.push({ gene: g.name, value, allowed: `a list of ${n} values (one per ${g.lengthGene} = ${n}), each an integer in [${g.min}, ${g.max}]` });
    }
  }
  return { chromosome: out, issues };
}

function issuesOf(err: z.ZodError, input: Readonly<Record<string, unknown>>): ChromosomeIssue[] {
  return err.issues.flatMap((i): ChromosomeIssue[] => {
    if (i.code === "unrecognized_keys") return i.keys.map((key) => ({ gene: key, value: input[key], allowed: `one of the genes ${DRNN_GENES.map((g) => g.name).join(", ")}` }));
    const [gene, index] = i.path;
    const whole = input[String(gene)];
    const value = typeof index === "number" && Array.isArray(whole) ? whole[index] : whole;
    return [{ gene: typeof index === "number" ? `${String(gene)}[${index}]` : String(gene), value, allowed: i.message }];
  });
}

export type ChromosomeCheck = { ok: true; chromosome: DrnnChromosome } | { ok: false; issues: ChromosomeIssue[] };

/** Like parseChromosome, but returns the issues instead of throwing. */
export function checkChromosome(json: unknown): ChromosomeCheck {
  if (json === null || typeof json !== "object" || Array.isArray(json)) return { ok: false, issues: [{ gene: "(chromosome)", value: json, allowed: "a JSON object of genes" }] };
  const input = json as Record<string, unknown>;
  const r = GivenSchema.safeParse(input);
  const shapeIssues = r.success ? [] : issuesOf(r.error, input);
  // Genes that are themselves wrong take their default, so the cross-gene checks add no noise.
  const wrong = new Set(shapeIssues.map((i) => i.gene.replace(/\[\d+\]$/, "")));
  const given = Object.fromEntries(Object.entries(input).filter(([k]) => !wrong.has(k)));
  const { chromosome, issues } = complete(given);
  const all = [...shapeIssues, ...issues];
  // The gene table's types are what `complete` produced, gene by gene.
  return all.length > 0 ? { ok: false, issues: all } : { ok: true, chromosome: chromosome as DrnnChromosome };
}

/** Parses a chromosome's JSON form; throws InvalidChromosomeError listing every problem. */
export function parseChromosome(json: unknown): DrnnChromosome {
  const r = checkChromosome(json);
  if (!r.ok) throw new InvalidChromosomeError(r.issues);
  return r.chromosome;
}

/**
 * The same as a zod schema, for documents that embed a chromosome (job
 * payloads, request bodies). Its output type derives from the gene table.
 */
export const ChromosomeSchema = z.unknown().transform((json, ctx): DrnnChromosome => {
  const r = checkChromosome(json);
  if (r.ok) return r.chromosome;
  for (const i of r.issues) ctx.addIssue({ code: "custom", path: [i.gene], message: i.allowed, input: i.value });
  return z.NEVER;
});

/** Every gene at its default: the paper's Table I, with the copy mechanism on. */
export const CHROMOSOME_DEFAULTS: DrnnChromosome = deepFreeze(parseChromosome({}));

function deepFreeze(c: DrnnChromosome): DrnnChromosome {
  for (const v of Object.values(c)) if (Array.isArray(v)) Object.freeze(v);
  return Object.freeze(c);
}
