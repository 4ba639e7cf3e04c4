// A campaign page's data: the REST snapshot, then the event stream folded in.
// Pure (no React) so it is cheap to reason about; events are idempotent, so
// a snapshot that overlaps the stream does no harm.
import type { Campaign, CampaignDetail, Candidate, Epoch, Generation } from "@drnn/contract";

export interface CampaignView {
  detail: CampaignDetail;
  candidates: Map<string, Candidate>;
  epochs: Map<string, Epoch[]>;
  /** Bumped on every change, so memoised charts know to recompute. */
  version: number;
}

export function initialView(detail: CampaignDetail, candidates: Candidate[], epochs: Epoch[]): CampaignView {
  const view: CampaignView = { detail, candidates: new Map(candidates.map((c) => [c.id, c])), epochs: new Map(), version: 0 };
  for (const e of epochs) putEpoch(view.epochs, e);
  return view;
}

function putEpoch(map: Map<string, Epoch[]>, e: Epoch): void {
  const list = map.get(e.candidateId) ?? [];
  const i = list.findIndex((x) => x.epoch === e.epoch);
  if (i >= 0) list[i] = e;
  else {
    list.push(e);
    list.sort((a, b) => a.epoch - b.epoch);
  }
  map.set(e.candidateId, list);
}

export function applyEvent(view: CampaignView, type: string, data: unknown): CampaignView {
  switch (type) {
    case "epoch": {
      const epochs = new Map(view.epochs);
      putEpoch(epochs, data as Epoch);
      return { ...view, epochs, version: view.version + 1 };
    }
    case "candidate": {
      const c = data as Candidate;
      const candidates = new Map(view.candidates);
      candidates.set(c.id, c);
      return { ...view, candidates, version: view.version + 1 };
    }
    case "generation": {
      const g = data as Generation;
      const generations = [...view.detail.generations.filter((x) => x.index !== g.index), g].sort((a, b) => a.index - b.index);
      return { ...view, detail: { ...view.detail, generations }, version: view.version + 1 };
    }
    case "campaign":
      return { ...view, detail: { ...view.detail, campaign: data as Campaign }, version: view.version + 1 };
    default:
      return view;
  }
}

export interface FitnessPoint {
  generation: number;
  best: number | null;
  mean: number | null;
  worst: number | null;
  bestSoFar: number | null;
}

/** Best / mean / worst per closed generation and the best fitness seen up to it. */
export function fitnessSeries(generations: readonly Generation[]): FitnessPoint[] {
  let bestSoFar: number | null = null;
  return generations
    .filter((g) => g.completedAt !== null)
    .map((g) => {
      if (g.bestFitness !== null) bestSoFar = bestSoFar === null ? g.bestFitness : Math.max(bestSoFar, g.bestFitness);
      return { generation: g.index, best: g.bestFitness, mean: g.meanFitness, worst: g.worstFitness, bestSoFar };
    });
}

export interface BestSoFarPoint {
  evaluation: number;
  bestSoFar: number;
  /** The candidate holding the best fitness at that point (a chart point opens it). */
  candidateId: string;
}

/** Best fitness so far after each finished evaluation, in finishing order. */
export function bestSoFarByEvaluation(candidates: Iterable<Candidate>): BestSoFarPoint[] {
  const done = [...candidates].filter((c) => c.finishedAt !== null && c.fitness !== null && (c.state === "completed" || c.state === "failed"));
  done.sort((a, b) => (a.finishedAt ?? "").localeCompare(b.finishedAt ?? ""));
  let best = -Infinity;
  let holder = "";
  return done.map((c, i) => {
    if ((c.fitness ?? 0) > best) {
      best = c.fitness ?? 0;
      holder = c.id;
    }
    return { evaluation: i + 1, bestSoFar: best, candidateId: holder };
  });
}

export interface GeneImportance {
  gene: string;
  /** |Pearson correlation| of the gene (numeric, or 0/1 for booleans, or list length) with fitness. */
  strength: number;
  correlation: number;
  n: number;
}

export function geneValue(v: unknown): number | null {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (Array.isArray(v)) return v.reduce((s: number, x) => s + (typeof x === "number" ? x : 0), 0);
  return null;
}

/** Which genes move with fitness, strongest first (a first look, not a causal claim). */
export function geneImportance(candidates: Iterable<Candidate>): GeneImportance[] {
  const scored = [...candidates].filter((c) => c.state === "completed" && c.fitness !== null);
  const genes = new Set(scored.flatMap((c) => Object.keys(c.chromosome)));
  const out: GeneImportance[] = [];
  for (const gene of genes) {
    const pairs = scored.map((c) => [geneValue(c.chromosome[gene]), c.fitness as number] as const).filter((p): p is readonly [number, number] => p[0] !== null);
    if (pairs.length < 3) continue;
    const mx = pairs.reduce((s, p) => s + p[0], 0) / pairs.length;
    const my = pairs.reduce((s, p) => s + p[1], 0) / pairs.length;
    let sxy = 0;
    let sxx = 0;
    let syy = 0;
    for (const [x, y] of pairs) {
      sxy += (x - mx) * (y - my);
      sxx += (x - mx) ** 2;
      syy += (y - my) ** 2;
    }
    const r = sxx === 0 || syy === 0 ? 0 : sxy / Math.sqrt(sxx * syy);
    out.push({ gene, correlation: r, strength: Math.abs(r), n: pairs.length });
  }
  return out.sort((a, b) => b.strength - a.strength);
}
