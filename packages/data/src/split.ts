// The temporal 60/20/20 split (paper section V, DESIGN.md section 3): sessions
// are ordered by start time and cut by count, so a whole session lies in one
// split and every training session starts no later than any validation one.

export const SPLITS = ["train", "val", "test"] as const;
export type SplitName = (typeof SPLITS)[number];
export const SPLIT_CODE: Record<SplitName, number> = { train: 0, val: 1, test: 2 };

export interface SplitRatios {
  train: number;
  val: number;
}

export const DEFAULT_SPLIT: SplitRatios = { train: 0.6, val: 0.2 };

/** Session indices in time order; ties keep the given (deterministic) order. */
export function temporalOrder(starts: ArrayLike<number>): Int32Array {
  const order = Array.from({ length: starts.length }, (_, i) => i);
  order.sort((a, b) => (starts[a] ?? 0) - (starts[b] ?? 0) || a - b);
  return Int32Array.from(order);
}

/** First rank of val and of test among `total` time-ordered sessions. */
export function splitBoundaries(total: number, ratios: SplitRatios = DEFAULT_SPLIT): { valFrom: number; testFrom: number } {
  const valFrom = Math.round(total * ratios.train);
  const testFrom = Math.max(valFrom, Math.round(total * (ratios.train + ratios.val)));
  return { valFrom, testFrom };
}

export function splitOfRank(rank: number, b: { valFrom: number; testFrom: number }): SplitName {
  return rank < b.valFrom ? "train" : rank < b.testFrom ? "val" : "test";
}
