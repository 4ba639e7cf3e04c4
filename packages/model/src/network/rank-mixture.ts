// One session's prediction after its newest page as plain arrays, and its
// ranking through copy.ts's mergeMixture: what the serving scorer
// (infer-session.ts) and serving's TF.js fallback both hand to the recommender,
// so every path ranks with the one rule DrnnModel.rank uses.
import type { SessionItems } from "@drnn/data";
import { mergeMixture } from "./copy.js";

export interface RowMixture {
  /** The session's copy slots (count 0 without the copy: then only the generator ranks). */
  slots: SessionItems;
  /** P(slot c) under the mixture, for c < slots.count. */
  slotProb: ArrayLike<number>;
  /** Per generator item i < N: g * p_gen(i) with the copy, p_gen(i) without it. */
  generatorProb: ArrayLike<number>;
}

export interface RankedItems {
  /** Item ids, best first (ids >= N only where the session showed them). */
  items: Int32Array;
  /** Their probability under the mixture (the generator's softmax without the copy). */
  scores: Float32Array;
}

/**
 * The `depth` best items. The generator's candidates are its depth + count
 * best items, as DrnnModel.rank takes them: at most `count` of them are the
 * session's slots, so the merge never runs short of generator items.
 */
export function rankMixture(m: RowMixture, depth: number): RankedItems {
  const candidates = topOf(m.generatorProb, depth + m.slots.count);
  const generator = { items: candidates, prob: candidates.map((i) => m.generatorProb[i] ?? 0) };
  const items = mergeMixture({ items: m.slots.items, prob: m.slotProb, count: m.slots.count }, generator, depth);
  const slotOf = new Map<number, number>();
  for (let c = 0; c < m.slots.count; c++) slotOf.set(m.slots.items[c] ?? -1, c);
  const scores = Float32Array.from(items, (item) => {
    const c = slotOf.get(item);
    return c === undefined ? (m.generatorProb[item] ?? 0) : (m.slotProb[c] ?? 0);
  });
  return { items, scores };
}

/**
 * Indices of the `k` largest values, largest first (ties: lower index first).
 * O(N k) with small k; insertion into one k-long array (no splice), because it
 * runs on every page view and its garbage lengthens the GC pauses in the tail.
 */
export function topOf(values: ArrayLike<number>, k: number): number[] {
  const depth = Math.max(0, Math.min(k, values.length));
  const idx = new Array<number>(depth);
  const best = new Float64Array(depth);
  let filled = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? -Infinity;
    if (filled === depth && (depth === 0 || v <= (best[depth - 1] as number))) continue;
    let at = filled < depth ? filled++ : depth - 1;
    // Shift the smaller ones down one place; equal values keep the earlier index first.
    while (at > 0 && (best[at - 1] as number) < v) {
      best[at] = best[at - 1] as number;
      idx[at] = idx[at - 1] as number;
      at--;
    }
    best[at] = v;
    idx[at] = i;
  }
  return idx;
}
