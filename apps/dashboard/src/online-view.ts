// The models page's online-loop section, as data: the live version's
// lineage (each version back to the first, with the batch that made it) and
// the per-batch accuracy series of the live model against the frozen first
// version. Pure, so it is tested without a browser.
import type { DecisionView, OnlineStatus } from "@drnn/contract";

export interface LineageStep {
  version: number;
  parentVersion: number | null;
  /** The batch the version was fine-tuned on; null for the first version. */
  batchSeq: number | null;
  sessionCount: number;
}

/** From the first version to the live one, following each decision's parent. */
export function lineageOf(s: OnlineStatus): LineageStep[] {
  const byVersion = new Map<number, DecisionView>(s.decisions.map((d) => [d.candidateVersion, d]));
  const steps: LineageStep[] = [];
  const seen = new Set<number>();
  for (let v = s.liveVersion; v !== null && !seen.has(v); ) {
    seen.add(v);
    const d = byVersion.get(v);
    steps.push({ version: v, parentVersion: d?.parentVersion ?? null, batchSeq: d?.batchSeq ?? null, sessionCount: d?.sessionCount ?? 0 });
    v = d?.parentVersion ?? null;
  }
  return steps.reverse();
}

export interface AccuracyPoint {
  batch: number;
  live: number;
  frozen: number;
  /** S-POP on the same samples; null for batches decided before it was kept. */
  spop: number | null;
  liveVersion: number;
}

export function accuracySeries(s: OnlineStatus): AccuracyPoint[] {
  return s.accuracy.map((a) => ({ batch: a.batchSeq, live: a.live.hit1, frozen: a.frozen.hit1, spop: a.spop?.hit1 ?? null, liveVersion: a.liveVersion })).sort((a, b) => a.batch - b.batch);
}

/** "+3.1 pt" / "-0.4 pt" of hit@1. */
export function points(gain: number | null): string {
  if (gain === null) return "–";
  return `${gain >= 0 ? "+" : ""}${(100 * gain).toFixed(1)} pt`;
}
