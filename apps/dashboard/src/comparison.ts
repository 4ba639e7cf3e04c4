// The campaign's best model beside the baselines on the test split, as the
// campaign page shows it: one row per ranker and the verdict a user reads first.
import { RankingMetricsSchema, type ComparisonDto, type RankingMetricsDto } from "@drnn/contract";

export interface ComparisonRow {
  name: string;
  metrics: RankingMetricsDto | null;
  /** The best value of its column among the rows (hit@1, MRR@20). */
  leadsHit1: boolean;
  leadsMrr: boolean;
}

export interface ComparisonView {
  rows: ComparisonRow[];
  /** Null until both the model's and the baselines' figures are known. */
  ahead: boolean | null;
}

/**
 * `bestTest` is the best completed candidate's testMetrics (live), else the
 * snapshot's; `label` names the model's row (a candidate's page says "this candidate").
 */
export function comparisonView(c: ComparisonDto, bestTest: unknown, label = "tuned DRNN"): ComparisonView {
  const parsed = RankingMetricsSchema.safeParse(bestTest);
  const drnn = parsed.success ? parsed.data : c.drnn;
  const named: [string, RankingMetricsDto | null][] = [[label, drnn], ...Object.entries(c.baselines ?? {})];
  const top = (f: (m: RankingMetricsDto) => number) => Math.max(...named.map(([, m]) => (m ? f(m) : -1)));
  const hit1 = top((m) => m.hit[1]);
  const mrr = top((m) => m.mrr20);
  const rows = named.map(([name, m]) => ({ name, metrics: m, leadsHit1: m !== null && m.hit[1] === hit1, leadsMrr: m !== null && m.mrr20 === mrr }));
  const baselines = Object.values(c.baselines ?? {});
  const ahead = drnn === null || baselines.length === 0 ? null : baselines.every((b) => drnn.hit[1] > b.hit[1] && drnn.mrr20 > b.mrr20);
  return { rows, ahead };
}
