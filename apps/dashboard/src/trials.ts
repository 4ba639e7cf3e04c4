// The campaign page's views over all its trials: the axes of the parallel
// coordinates and the slice plots (one per gene of the campaign's search
// space, plus fitness), which candidates to draw when there are too many,
// and the trial table's sort and filter. Pure, so it is tested without a browser.
import { DRNN_GENES, type Candidate } from "@drnn/contract";
import { parseSearchSpace } from "@drnn/ga";

export interface Axis {
  name: string;
  /** "value" axes are numbers (log-scaled where the gene is); "category" axes list the choices. */
  kind: "value" | "category";
  log: boolean;
  categories: string[];
  /** Shown beside the axis name: a list gene ("neurons") is drawn as the sum over its layers. */
  note: string;
}

interface LooseGene {
  name: string;
  type: string;
  log?: boolean;
  choices?: readonly string[];
}

/** The campaign's genes (its search space, else the contract's table), as axes. */
export function geneAxes(searchSpace: unknown): Axis[] {
  let genes: readonly LooseGene[];
  try {
    genes = parseSearchSpace(searchSpace).genes;
  } catch {
    genes = DRNN_GENES;
  }
  return genes.map((g) => {
    if (g.type === "categorical") return { name: g.name, kind: "category", log: false, categories: [...(g.choices ?? [])], note: "" };
    if (g.type === "bool") return { name: g.name, kind: "category", log: false, categories: ["false", "true"], note: "" };
    return { name: g.name, kind: "value", log: g.type === "log-float" || g.log === true, categories: [], note: g.type === "int-list" ? "Σ layers" : "" };
  });
}

/** A gene's value on its axis: a number, or the choice's name on a category axis; null when absent. */
export function axisValue(axis: Axis, v: unknown): number | string | null {
  if (v === undefined || v === null) return null;
  if (axis.kind === "category") return String(v);
  if (typeof v === "number") return v;
  if (Array.isArray(v)) return v.reduce((s: number, x) => s + (typeof x === "number" ? x : 0), 0);
  return null;
}

/** Finished with a fitness: what the trial plots draw. */
export const scored = (cs: Iterable<Candidate>): Candidate[] => [...cs].filter((c) => c.fitness !== null && (c.state === "completed" || c.state === "failed"));

/**
 * At most `max` candidates to draw: the fittest quarter of the budget, then
 * an even spread of the rest in launch order, so the best region stays sharp
 * and the overall shape stays true. Deterministic (no sampling): the same
 * campaign draws the same lines on every update.
 */
export function drawSubset(cs: readonly Candidate[], max: number): Candidate[] {
  if (cs.length <= max) return [...cs];
  const byFitness = [...cs].sort((a, b) => (b.fitness ?? -Infinity) - (a.fitness ?? -Infinity) || a.id.localeCompare(b.id));
  const top = byFitness.slice(0, Math.floor(max / 4));
  const kept = new Set(top.map((c) => c.id));
  const rest = [...cs].filter((c) => !kept.has(c.id)).sort((a, b) => a.queuedAt.localeCompare(b.queuedAt) || a.id.localeCompare(b.id));
  const room = max - top.length;
  const step = rest.length / room;
  const spread = Array.from({ length: room }, (_, i) => rest[Math.floor(i * step)] as Candidate);
  return [...top, ...spread];
}

export interface SlicePoint {
  x: number | string;
  y: number;
  id: string;
}

/** One gene's slice: fitness against the gene's value, one point per candidate that has it. */
export function slicePoints(axis: Axis, cs: readonly Candidate[]): SlicePoint[] {
  return cs.flatMap((c) => {
    const x = axisValue(axis, c.chromosome[axis.name]);
    return x === null || c.fitness === null ? [] : [{ x, y: c.fitness, id: c.id }];
  });
}

/** Each candidate's row of the parallel coordinates: one value per axis, then fitness. */
export function parallelRows(axes: readonly Axis[], cs: readonly Candidate[]): { id: string; values: (number | string | null)[] }[] {
  return cs.map((c) => ({ id: c.id, values: [...axes.map((a) => axisValue(a, c.chromosome[a.name])), c.fitness] }));
}

// ---- the trial table ----

export type SortKey = "fitness" | "accuracy" | "epochs" | "duration" | "queued" | "state" | `gene:${string}`;

function sortValue(c: Candidate, key: SortKey): number | string | null {
  switch (key) {
    case "fitness":
      return c.fitness;
    case "accuracy":
      return c.accuracy;
    case "epochs":
      return c.epochs;
    case "duration":
      return c.durationSeconds;
    case "queued":
      return c.queuedAt;
    case "state":
      return c.state;
    default: {
      const v = c.chromosome[key.slice(5)];
      return Array.isArray(v) ? v.reduce((s: number, x) => s + Number(x), 0) : typeof v === "number" || typeof v === "string" ? v : v === undefined ? null : String(v);
    }
  }
}

/** Sorted by `key`; missing values last either way, ties in launch order. */
export function sortTrials(cs: readonly Candidate[], key: SortKey, dir: "asc" | "desc"): Candidate[] {
  const sign = dir === "asc" ? 1 : -1;
  return [...cs].sort((a, b) => {
    const x = sortValue(a, key);
    const y = sortValue(b, key);
    if (x === null || y === null) return x === y ? a.queuedAt.localeCompare(b.queuedAt) : x === null ? 1 : -1;
    const order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
    return sign * order || a.queuedAt.localeCompare(b.queuedAt) || a.id.localeCompare(b.id);
  });
}

/**
 * Whitespace-separated terms, all of which must hold: `gene=value` (a gene's
 * value as shown, e.g. `optimizer=adam`, `neurons=64,32`), `gene>n` / `gene<n`,
 * or a word found in the hash, state, stop reason, backend or worker.
 */
export function filterTrials(cs: readonly Candidate[], query: string, state: string): Candidate[] {
  const terms = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  return cs.filter((c) => (state === "" || c.state === state) && terms.every((t) => matches(c, t)));
}

function matches(c: Candidate, term: string): boolean {
  const cmp = /^([a-z_][a-z0-9_]*)(=|>|<)(.+)$/i.exec(term);
  if (cmp) {
    const [, gene = "", op, want = ""] = cmp;
    const name = Object.keys(c.chromosome).find((k) => k.toLowerCase() === gene) ?? (gene === "fitness" ? "fitness" : null);
    if (name === null) return false;
    const v = name === "fitness" ? c.fitness : c.chromosome[name];
    if (op === "=") return (Array.isArray(v) ? v.join(",") : String(v)).toLowerCase() === want;
    const n = Array.isArray(v) ? v.reduce((s: number, x) => s + Number(x), 0) : Number(v);
    return op === ">" ? n > Number(want) : n < Number(want);
  }
  return [c.hash, c.state, c.stopReason ?? "", c.backend ?? "", c.workerId ?? ""].some((s) => s.toLowerCase().includes(term));
}
