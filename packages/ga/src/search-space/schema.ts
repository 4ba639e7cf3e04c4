// The search space is data: a JSON document of genes that users may supply
// themselves, so it is validated here with field-level messages before any
// campaign trusts it. Gene order matters: a gene may only refer to genes
// before it (list lengths, dynamic maxima, conditions), which lets every
// operator resolve a chromosome in one left-to-right pass.
import { z } from "zod";

const GeneName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "gene names are identifiers");
const Scalar = z.union([z.number(), z.string(), z.boolean()]);

export const ConditionSchema = z
  .object({
    gene: GeneName,
    op: z.enum(["eq", "ne", "gt", "gte", "lt", "lte", "in"]),
    value: z.union([Scalar, z.array(Scalar)]),
  })
  .strict();

const common = {
  name: GeneName,
  description: z.string().optional(),
  /** All must hold for the gene to take part in the model; otherwise it is dormant. */
  when: z.array(ConditionSchema).optional(),
};

const IntRange = z.object({ min: z.int(), max: z.int() }).strict();
const FloatRange = z.object({ min: z.number(), max: z.number() }).strict();

const IntGeneSchema = z
  .object({
    ...common,
    type: z.literal("int"),
    min: z.int(),
    max: z.int(),
    default: z.int(),
    /** Sample and step on a log scale (sizes such as neurons or batch). */
    log: z.boolean().optional(),
    /** The value may not exceed this earlier int gene (e.g. h <= l). */
    maxGene: GeneName.optional(),
    /** Where the GA samples and mutates; [min, max] stays the validity range. */
    search: IntRange.optional(),
  })
  .strict();

const FloatGeneSchema = z
  .object({
    ...common,
    type: z.enum(["float", "log-float"]),
    min: z.number(),
    max: z.number(),
    default: z.number(),
    /** Significant digits kept by the operators, so equal-in-practice values dedupe. */
    digits: z.int().min(1).max(15).optional(),
    search: FloatRange.optional(),
  })
  .strict();

const CategoricalGeneSchema = z
  .object({ ...common, type: z.literal("categorical"), choices: z.array(z.string().min(1)).min(1), default: z.string() })
  .strict();

const BoolGeneSchema = z.object({ ...common, type: z.literal("bool"), default: z.boolean() }).strict();

const IntListGeneSchema = z
  .object({
    ...common,
    type: z.literal("int-list"),
    /** The earlier int gene giving the list's length (neurons a_1..a_l follow l). */
    lengthGene: GeneName,
    min: z.int(),
    max: z.int(),
    default: z.array(z.int()),
    log: z.boolean().optional(),
    search: IntRange.optional(),
  })
  .strict();

export const GeneSpecSchema = z.discriminatedUnion("type", [
  IntGeneSchema,
  FloatGeneSchema,
  CategoricalGeneSchema,
  BoolGeneSchema,
  IntListGeneSchema,
]);

export type Condition = z.infer<typeof ConditionSchema>;
export type IntGeneSpec = z.infer<typeof IntGeneSchema>;
export type FloatGeneSpec = z.infer<typeof FloatGeneSchema>;
export type CategoricalGeneSpec = z.infer<typeof CategoricalGeneSchema>;
export type BoolGeneSpec = z.infer<typeof BoolGeneSchema>;
export type IntListGeneSpec = z.infer<typeof IntListGeneSchema>;
export type GeneSpec = z.infer<typeof GeneSpecSchema>;
export type GeneType = GeneSpec["type"];

type Issue = { path: (string | number)[]; message: string };
interface SpaceShape {
  genes: GeneSpec[];
}

export const SearchSpaceSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    genes: z.array(GeneSpecSchema).min(1),
  })
  .strict()
  .superRefine((space, ctx) => {
    for (const issue of consistencyIssues(space)) {
      ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
    }
  });

export type SearchSpace = z.infer<typeof SearchSpaceSchema>;

/** Cross-field rules zod's shapes cannot express: ranges, defaults, references. */
export function consistencyIssues(space: SpaceShape): Issue[] {
  const issues: Issue[] = [];
  const seen = new Map<string, GeneSpec>();
  space.genes.forEach((gene, i) => {
    const add = (field: string, message: string) => issues.push({ path: ["genes", i, field], message });
    if (seen.has(gene.name)) add("name", `duplicate gene name "${gene.name}"`);
    checkGene(gene, seen, add);
    seen.set(gene.name, gene);
  });
  return issues;
}

type AddIssue = (field: string, message: string) => void;

function checkGene(gene: GeneSpec, earlier: Map<string, GeneSpec>, add: AddIssue): void {
  for (const cond of gene.when ?? []) {
    if (!earlier.has(cond.gene)) add("when", `condition refers to "${cond.gene}", which is not an earlier gene`);
    if (cond.op === "in" && !Array.isArray(cond.value)) add("when", `"in" needs a list value`);
  }
  switch (gene.type) {
    case "int":
      checkRange(gene.min, gene.max, gene.search, add);
      checkDefault(gene.default, gene.min, gene.max, add);
      if (gene.log && gene.min < 1) add("min", "a log-scaled int needs min >= 1");
      if (gene.maxGene !== undefined) checkMaxGene(gene, earlier, add);
      return;
    case "float":
    case "log-float":
      checkRange(gene.min, gene.max, gene.search, add);
      checkDefault(gene.default, gene.min, gene.max, add);
      if (gene.type === "log-float" && gene.min <= 0) add("min", "a log-float needs min > 0");
      return;
    case "categorical":
      if (new Set(gene.choices).size !== gene.choices.length) add("choices", "choices must be distinct");
      if (!gene.choices.includes(gene.default)) add("default", `default "${gene.default}" is not one of the choices`);
      return;
    case "bool":
      return;
    case "int-list":
      checkRange(gene.min, gene.max, gene.search, add);
      if (gene.log && gene.min < 1) add("min", "a log-scaled list needs min >= 1");
      checkListGene(gene, earlier, add);
      return;
  }
}

function checkRange(min: number, max: number, search: { min: number; max: number } | undefined, add: AddIssue): void {
  if (min > max) add("max", `max ${max} is below min ${min}`);
  if (!search) return;
  if (search.min > search.max) add("search", `search max ${search.max} is below search min ${search.min}`);
  if (search.min < min || search.max > max) add("search", `search range must lie within [${min}, ${max}]`);
}

function checkDefault(value: number, min: number, max: number, add: AddIssue): void {
  if (value < min || value > max) add("default", `default ${value} is outside [${min}, ${max}]`);
}

function checkMaxGene(gene: IntGeneSpec, earlier: Map<string, GeneSpec>, add: AddIssue): void {
  const ref = earlier.get(gene.maxGene ?? "");
  if (ref?.type !== "int") {
    add("maxGene", `maxGene "${gene.maxGene}" must be an earlier int gene`);
  } else if (gene.default > ref.default) {
    add("default", `default ${gene.default} exceeds ${ref.name}'s default ${ref.default}`);
  }
}

function checkListGene(gene: IntListGeneSpec, earlier: Map<string, GeneSpec>, add: AddIssue): void {
  const ref = earlier.get(gene.lengthGene);
  if (ref?.type !== "int" || ref.min < 0) {
    add("lengthGene", `lengthGene "${gene.lengthGene}" must be an earlier int gene with min >= 0`);
    return;
  }
  if (gene.default.length !== ref.default) {
    add("default", `default has ${gene.default.length} values but ${ref.name}'s default is ${ref.default}`);
  }
  if (gene.default.some((v) => v < gene.min || v > gene.max)) {
    add("default", `default values must lie in [${gene.min}, ${gene.max}]`);
  }
}
