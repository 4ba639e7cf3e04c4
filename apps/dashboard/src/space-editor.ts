// The search-space editor's model: one row per gene, its fields read off the
// search space's own schema (@drnn/ga's GeneSpecSchema: a gene type with a
// `search` range gets a range, one with `choices` gets choices), and every
// gene of the contract's table present, on (in the document, searched) or
// off (left out, so every candidate takes the table's default). Rows turn
// into a document that @drnn/ga's parser checks, and a document turns back
// into rows only once that parser accepts it: validated both ways.
import { GeneSpecSchema, InvalidSearchSpaceError, parseSearchSpace, type GeneSpec, type GeneType, type SearchSpace, type SearchSpaceIssue } from "@drnn/ga";
import { DRNN_GENES } from "@drnn/contract";

/** The fields a row edits; which a gene type has is its schema's business. */
export type EditorField = "range" | "choices" | "default";

interface SchemaOption {
  shape: Record<string, unknown> & { type: { _zod: { values: Set<string> } } };
}

/** The editable fields of a gene type, in the order the row shows them, from the schema's shape. */
export function fieldsOf(type: GeneType): EditorField[] {
  const option = (GeneSpecSchema.options as unknown as SchemaOption[]).find((o) => o.shape.type._zod.values.has(type));
  if (!option) return [];
  const keys = Object.keys(option.shape);
  const out: EditorField[] = [];
  if (keys.includes("search")) out.push("range");
  if (keys.includes("choices")) out.push("choices");
  if (keys.includes("default")) out.push("default");
  return out;
}

export interface GeneRow {
  name: string;
  type: GeneType;
  /** In the document (searched) or left out (the table's default for every candidate). */
  on: boolean;
  /** The search range as typed (numeric types). */
  min: string;
  max: string;
  /** The choices the GA picks among (categorical). */
  choices: string[];
  /** Every choice the gene may take (the gene table's), so one switched off can come back. */
  allChoices: string[];
  /** As typed: a number, a choice, "true"/"false", or "64, 32" for a list. */
  default: string;
  /** The spec the row came from: validity range, log scale, conditions, description travel unchanged. */
  spec: GeneSpec;
}

const defaultText = (v: unknown) => (Array.isArray(v) ? v.join(", ") : String(v));

function rowOf(spec: GeneSpec, on: boolean): GeneRow {
  const numeric = spec.type !== "categorical" && spec.type !== "bool";
  const range = numeric ? (spec.search ?? { min: spec.min, max: spec.max }) : null;
  const table = DRNN_GENES.find((g) => g.name === spec.name);
  const tableChoices: readonly string[] = table && "choices" in table ? table.choices : [];
  const choices = spec.type === "categorical" ? [...spec.choices] : [];
  return {
    name: spec.name,
    type: spec.type,
    on,
    min: range ? String(range.min) : "",
    max: range ? String(range.max) : "",
    choices,
    allChoices: [...new Set([...tableChoices, ...choices])],
    default: defaultText(spec.default),
    spec,
  };
}

export interface SpaceMeta {
  name: string;
  description?: string;
}

export type RowsResult = { ok: true; rows: GeneRow[]; meta: SpaceMeta } | { ok: false; issues: SearchSpaceIssue[] };

/** A document's rows: its genes (on) and the table's genes it leaves out (off), in table order. */
export function spaceToRows(json: unknown): RowsResult {
  let space: SearchSpace;
  try {
    space = parseSearchSpace(json);
  } catch (err) {
    if (err instanceof InvalidSearchSpaceError) return { ok: false, issues: [...err.issues] };
    throw err;
  }
  const byName = new Map(space.genes.map((g) => [g.name, g]));
  const known = new Set<string>(DRNN_GENES.map((g) => g.name));
  const rows = DRNN_GENES.map((g) => {
    const spec = byName.get(g.name);
    return spec ? rowOf(spec, true) : rowOf(GeneSpecSchema.parse(g), false);
  });
  // Genes the table does not know keep their place after it (the API refuses them; the issue says so there).
  for (const g of space.genes) if (!known.has(g.name)) rows.push(rowOf(g, true));
  return { ok: true, rows, meta: { name: space.name, ...(space.description === undefined ? {} : { description: space.description }) } };
}

/** "" and junk become NaN, so the schema names the field instead of a default creeping in. */
const number = (s: string) => (s.trim() === "" ? Number.NaN : Number(s));

function defaultValue(row: GeneRow): unknown {
  switch (row.type) {
    case "categorical":
      return row.default;
    case "bool":
      return row.default === "true" ? true : row.default === "false" ? false : row.default;
    case "int-list":
      return row.default.split(",").map(number);
    default:
      return number(row.default);
  }
}

/** The gene spec a row stands for (unchecked: the parser judges it). */
export function rowToSpec(row: GeneRow): Record<string, unknown> {
  const fields = fieldsOf(row.type);
  const spec: Record<string, unknown> = { ...row.spec };
  if (fields.includes("range")) spec["search"] = { min: number(row.min), max: number(row.max) };
  if (fields.includes("choices")) spec["choices"] = row.allChoices.filter((c) => row.choices.includes(c));
  if (fields.includes("default")) spec["default"] = defaultValue(row);
  return spec;
}

/** The document the rows make: the genes that are on, in row order. */
export function rowsToDocument(rows: readonly GeneRow[], meta: SpaceMeta): Record<string, unknown> {
  return { ...meta, genes: rows.filter((r) => r.on).map(rowToSpec) };
}

export interface RowIssue {
  /** The row's gene, or null for the document (its name, no genes at all). */
  gene: string | null;
  field: string;
  message: string;
}

/** The parser's issues on the rows' document, each put back on the row and field it came from. */
export function checkRows(rows: readonly GeneRow[], meta: SpaceMeta): RowIssue[] {
  const on = rows.filter((r) => r.on);
  try {
    parseSearchSpace(rowsToDocument(rows, meta));
    return [];
  } catch (err) {
    if (!(err instanceof InvalidSearchSpaceError)) throw err;
    return err.issues.map((i) => {
      const [head, index, field] = i.path.split(".");
      const row = head === "genes" && index !== undefined ? on[Number(index)] : undefined;
      if (!row) return { gene: null, field: i.path, message: i.message };
      return { gene: row.name, field: field === "search" ? "range" : (field ?? ""), message: i.message };
    });
  }
}
