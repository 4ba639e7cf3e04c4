// The two simplest baselines. pop: the items bought most in training, the
// same list for everyone. spop: the session's own viewed items ranked by how
// often they were viewed, ties and the rest filled by popularity. On shop
// logs where people buy what they looked at, spop is hard to beat.
import { topN, TOP_N, type Ranker } from "../metrics/index.js";
import type { SessionView } from "./session-view.js";

export function popRanker(view: SessionView): Ranker {
  const top = topN(view.trainPopularity(), TOP_N);
  return { rank: (samples) => Array.from(samples, () => top) };
}

export function spopRanker(view: SessionView): Ranker {
  const popularity = view.trainPopularity();
  const maxPop = Math.max(1, ...popularity);
  const popular = topN(popularity, TOP_N);
  const rankOne = (s: number): Int32Array => {
    const counts = new Map<number, number>();
    for (const item of view.prefixItems(s)) counts.set(item, (counts.get(item) ?? 0) + 1);
    // Session count dominates; popularity (scaled below 1) breaks ties.
    const seen = [...counts].map(([item, n]) => ({ item, score: n + (popularity[item] ?? 0) / (maxPop + 1) }));
    seen.sort((a, b) => b.score - a.score || a.item - b.item);
    const out = seen.slice(0, TOP_N).map((x) => x.item);
    for (const item of popular) {
      if (out.length >= TOP_N) break;
      if (!counts.has(item)) out.push(item);
    }
    return Int32Array.from(out);
  };
  return { rank: (samples) => Array.from(samples, rankOne) };
}
