// The session's own items, as the copy (pointer-generator) mechanism sees them
// (DESIGN.md section 4). 99.9 % of YOOCHOOSE purchases were viewed earlier in
// the same session, so the items of the pages viewed so far are the strongest
// candidates. Each is described only by item-agnostic features of its
// occurrences, so what a model learns from them carries over to items never
// bought (or never seen) in training. Training (the feeder), the offline
// replay and serving all build the slots with this one function.

/** Feature columns of one session item, in this order. */
export const COPY_FEATURES = [
  /** Views of the item in the prefix: S-POP's score. */
  "count",
  "logCount",
  /** 1 when the newest page shows it. */
  "newest",
  /** 1 / (1 + pages since its last view). */
  "recency",
  /** 1 / (1 + pages since its first view). */
  "firstRecency",
  /** Dwell on its pages as known so far (the newest page's is not known), log-scaled. */
  "dwell",
  /** Training-period purchases and views of the item, log-scaled to [0, 1]: S-POP's tie-break. */
  "buyPopularity",
  "viewPopularity",
] as const;

export const COPY_FEATURE_COUNT = COPY_FEATURES.length;

/** Distinct session items the copy scores; older ones beyond it are dropped (a session rarely shows more). */
export const DEFAULT_COPY_SLOTS = 32;

/** Dwell seconds -> [0, 1]: log-scaled against the 30-minute dwell cap, since dwell is heavy-tailed. */
export function dwellFeature(seconds: number): number {
  return Math.log1p(Math.max(0, seconds)) / Math.log1p(1800);
}

/** Per item id: log-scaled training-period purchases and views, each in [0, 1]. */
export interface ItemPopularity {
  buys: Float32Array;
  views: Float32Array;
}

export function itemPopularity(trainBuys: ArrayLike<number>, trainViews: ArrayLike<number>): ItemPopularity {
  const scaled = (counts: ArrayLike<number>): Float32Array => {
    let max = 0;
    for (let i = 0; i < counts.length; i++) max = Math.max(max, counts[i] ?? 0);
    const norm = Math.log1p(Math.max(max, 1));
    return Float32Array.from({ length: counts.length }, (_, i) => Math.log1p(counts[i] ?? 0) / norm);
  };
  return { buys: scaled(trainBuys), views: scaled(trainViews) };
}

/** Up to `slots` items, most recently viewed first; -1 pads `items`, zeros pad `features`. */
export interface SessionItems {
  items: Int32Array;
  /** [slots * COPY_FEATURE_COUNT], row-major by slot. */
  features: Float32Array;
  /** Slots in use. */
  count: number;
}

interface Occurrence {
  item: number;
  count: number;
  first: number;
  last: number;
  dwell: number;
}

/**
 * The copy slots after page p_{j-1} of a prefix p_0..p_{j-1}.
 * @param items item id each page shows (-1: none), oldest first
 * @param dwell the dwell of each page as known at the newest page (knownDwell)
 */
export function sessionItems(items: ArrayLike<number>, dwell: ArrayLike<number>, popularity: ItemPopularity, slots = DEFAULT_COPY_SLOTS): SessionItems {
  const j = items.length;
  const seen = new Map<number, Occurrence>();
  for (let t = 0; t < j; t++) {
    const item = items[t] ?? -1;
    if (item < 0) continue;
    const o = seen.get(item) ?? { item, count: 0, first: t, last: t, dwell: 0 };
    o.count++;
    o.last = t;
    if (t < j - 1) o.dwell += dwell[t] ?? 0;
    seen.set(item, o);
  }
  const kept = [...seen.values()].sort((a, b) => b.last - a.last).slice(0, slots);
  const out: SessionItems = { items: new Int32Array(slots).fill(-1), features: new Float32Array(slots * COPY_FEATURE_COUNT), count: kept.length };
  kept.forEach((o, s) => {
    out.items[s] = o.item;
    out.features.set(
      [o.count, Math.log1p(o.count), o.last === j - 1 ? 1 : 0, 1 / (j - o.last), 1 / (j - o.first), dwellFeature(o.dwell), popularity.buys[o.item] ?? 0, popularity.views[o.item] ?? 0],
      s * COPY_FEATURE_COUNT,
    );
  });
  return out;
}
