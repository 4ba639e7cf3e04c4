// Session item-kNN: items are similar when the same training sessions hold
// them (viewed or bought), by cosine over session sets. A prefix scores each
// candidate by its similarity to the prefix's items, later pages weighing
// more. An item is most similar to itself, so the session's own items rank
// high, as in S-POP, and co-bought items fill the list after them.
import { topN, TOP_N, type Ranker } from "../metrics/index.js";
import type { SessionView } from "./session-view.js";

export interface ItemKnnOptions {
  /** Neighbours kept per item. */
  neighbours: number;
}

type Neighbours = Map<number, { item: number; sim: number }[]>;

function sessionSets(view: SessionView): number[][] {
  return view.sessions("train").map((session) => {
    const items = new Set(view.sessionItems(session));
    for (const item of view.boughtItems(session)) if (item >= 0) items.add(item);
    return [...items];
  });
}

function neighboursOf(sets: number[][], keep: number): Neighbours {
  const support = new Map<number, number>();
  const co = new Map<number, Map<number, number>>();
  for (const set of sets) {
    for (const a of set) {
      support.set(a, (support.get(a) ?? 0) + 1);
      let row = co.get(a);
      if (!row) co.set(a, (row = new Map()));
      for (const b of set) if (b !== a) row.set(b, (row.get(b) ?? 0) + 1);
    }
  }
  const result: Neighbours = new Map();
  for (const [a, row] of co) {
    const sa = support.get(a) ?? 1;
    const list = [...row].map(([b, n]) => ({ item: b, sim: n / Math.sqrt(sa * (support.get(b) ?? 1)) }));
    list.sort((x, y) => y.sim - x.sim || x.item - y.item);
    result.set(a, list.slice(0, keep));
  }
  return result;
}

export function itemKnnRanker(view: SessionView, options: ItemKnnOptions = { neighbours: 100 }): Ranker {
  const neighbours = neighboursOf(sessionSets(view), options.neighbours);
  const popularity = view.trainPopularity();
  const maxPop = Math.max(1, ...popularity);
  const scores = new Float64Array(view.itemCount);
  const rankOne = (s: number): Int32Array => {
    // Popularity as a tiny prior: orders the fill when the prefix knows nothing.
    for (let i = 0; i < scores.length; i++) scores[i] = ((popularity[i] ?? 0) / maxPop) * 1e-6;
    const items = view.prefixItems(s);
    items.forEach((item, position) => {
      const weight = (position + 1) / items.length;
      scores[item] = (scores[item] ?? 0) + weight;
      for (const n of neighbours.get(item) ?? []) scores[n.item] = (scores[n.item] ?? 0) + weight * n.sim;
    });
    return topN(scores, TOP_N);
  };
  return { rank: (samples) => Array.from(samples, rankOne) };
}
