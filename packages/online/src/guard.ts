// Guarded promotion (the online loop's rule): the candidate fine-tuned on a
// batch goes live only if it is not worse than the live model on the batch's
// holdout by more than the margin, in hit@1 (the paper's accuracy).
import type { RankingMetrics } from "@drnn/model";

export const GUARD_METRIC = "hit1";

export interface GuardVerdict {
  outcome: "promoted" | "kept";
  reason: string;
}

export function guard(candidate: RankingMetrics, live: RankingMetrics, margin: number, trained: { scored: boolean; reason: string }): GuardVerdict {
  if (!trained.scored) return { outcome: "kept", reason: `fine-tuning ended without a scored epoch (${trained.reason})` };
  const c = candidate.hit[1];
  const l = live.hit[1];
  const fmt = (x: number) => x.toFixed(4);
  if (candidate.samples === 0) return { outcome: "kept", reason: "the holdout has no sample" };
  if (c >= l - margin) return { outcome: "promoted", reason: `holdout hit@1 ${fmt(c)} against the live model's ${fmt(l)} (margin ${margin})` };
  return { outcome: "kept", reason: `holdout hit@1 ${fmt(c)} is more than ${margin} below the live model's ${fmt(l)}` };
}
