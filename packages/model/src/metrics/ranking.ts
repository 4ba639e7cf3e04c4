// Ranking metrics of the paper and of the session-based literature, computed
// the same way for the DRNN and every baseline (DESIGN.md section 4):
// - per prefix sample: accuracy (top-1 in the bought set I), hit@k, MRR@20;
// - per session: the path compression ratio L2/L1 (paper section V.D): L1 is
//   the number of pages viewed before the purchase, L2 the number viewed
//   before the first correct top-1 prediction (L1 when none is correct); the
//   ratio is averaged over sessions. Session accuracy is the top-1 after the
//   last page before the purchase.
import { samplePrefixPages, sampleTargets, type Dataset, type SplitName } from "@drnn/data";

export const CUTOFFS = [1, 5, 10, 20] as const;
export const TOP_N = 20;

export interface RankingMetrics {
  split: SplitName;
  samples: number;
  sessions: number;
  accuracy: number;
  hit: { 1: number; 5: number; 10: number; 20: number };
  mrr20: number;
  pathCompression: number;
  sessionAccuracy: number;
  /**
   * Share of samples with a bought item in the candidate set: one of the
   * generator's items, or an item a page of the prefix showed. The ceiling of
   * every ranker that ranks that set (the DRNN and every baseline do).
   */
  reachable: number;
}

/** Proposes items for prefix samples: for each sample index, the top-20 item ids, best first. */
export interface Ranker {
  rank(samples: Int32Array): Int32Array[];
}

/** 1-based rank of the first bought item in `top`, or 0 when none is there. */
export function firstHitRank(top: ArrayLike<number>, targets: ArrayLike<number>): number {
  for (let r = 0; r < top.length && r < TOP_N; r++) {
    const item = top[r];
    for (let t = 0; t < targets.length; t++) if (item !== undefined && item >= 0 && targets[t] === item) return r + 1;
  }
  return 0;
}

/** Whether any bought item of sample `s` is a generator item or was shown by a page of its prefix. */
export function isReachable(d: Dataset, s: number): boolean {
  const targets = sampleTargets(d, s);
  const n = d.manifest.itemVocabulary;
  if (targets.some((t) => t >= 0 && t < n)) return true;
  const pageItems = d.columns.pageItems;
  return samplePrefixPages(d, s).pages.some((page) => targets.includes(pageItems[page] ?? -1));
}

/** Sums over prefix samples and sessions; `result()` turns them into means. */
export class RankingAccumulator {
  private samples = 0;
  private readonly hits = { 1: 0, 5: 0, 10: 0, 20: 0 };
  private reciprocal = 0;
  private sessions = 0;
  private compression = 0;
  private sessionHits = 0;
  private reachableSamples = 0;

  addSample(rank: number, reachable = true): void {
    this.samples++;
    if (reachable) this.reachableSamples++;
    for (const k of CUTOFFS) if (rank >= 1 && rank <= k) this.hits[k]++;
    if (rank >= 1) this.reciprocal += 1 / rank;
  }

  /** `firstCorrectPrefix` is the prefix length of the first top-1 hit, or 0. */
  addSession(length: number, firstCorrectPrefix: number, lastCorrect: boolean): void {
    this.sessions++;
    this.compression += (firstCorrectPrefix > 0 ? firstCorrectPrefix : length) / length;
    if (lastCorrect) this.sessionHits++;
  }

  result(split: SplitName): RankingMetrics {
    const n = Math.max(1, this.samples);
    const s = Math.max(1, this.sessions);
    return {
      split,
      samples: this.samples,
      sessions: this.sessions,
      accuracy: this.hits[1] / n,
      hit: { 1: this.hits[1] / n, 5: this.hits[5] / n, 10: this.hits[10] / n, 20: this.hits[20] / n },
      mrr20: this.reciprocal / n,
      pathCompression: this.compression / s,
      sessionAccuracy: this.sessionHits / s,
      reachable: this.reachableSamples / n,
    };
  }
}

/**
 * Scores `ranker` on every prefix sample of `split`. Samples of a session are
 * contiguous and in prefix order in the artifact, so sessions are closed as
 * the scan passes them.
 */
export function scoreSplit(dataset: Dataset, split: SplitName, ranker: Ranker, batchSize = 1024): RankingMetrics {
  const { samples: [from, to] } = dataset.manifest.splits[split];
  const c = dataset.columns;
  const acc = new RankingAccumulator();
  let session = -1;
  let firstCorrect = 0;
  let lastCorrect = false;
  const closeSession = () => {
    if (session >= 0) acc.addSession(c.sessionLength[session] ?? 1, firstCorrect, lastCorrect);
  };
  for (let start = from; start < to; start += batchSize) {
    const batch = Int32Array.from({ length: Math.min(batchSize, to - start) }, (_, i) => start + i);
    const ranked = ranker.rank(batch);
    batch.forEach((s, i) => {
      const targets = sampleTargets(dataset, s);
      const rank = firstHitRank(ranked[i] ?? [], targets);
      acc.addSample(rank, isReachable(dataset, s));
      const sampleSession = c.sampleSession[s] ?? -1;
      if (sampleSession !== session) {
        closeSession();
        session = sampleSession;
        firstCorrect = 0;
      }
      lastCorrect = rank === 1;
      if (rank === 1 && firstCorrect === 0) firstCorrect = c.samplePrefix[s] ?? 1;
    });
  }
  closeSession();
  return acc.result(split);
}
