// Campaign comparison: best fitness so far against evaluations and against
// training time spent, one series per campaign, and each campaign's winner.
// Best-so-far is a step function, so its improvements and its last point
// draw it exactly; a long one is then capped with downsample(). Pure.
import { RankingMetricsSchema, type Candidate } from "@drnn/contract";
import { downsample } from "./downsample.js";

export interface ProgressPoint {
  evaluation: number;
  /** Training seconds summed over the finished candidates so far (the compute spent, not wall time). */
  trainSeconds: number;
  bestSoFar: number;
  candidateId: string;
}

const finished = (cs: Iterable<Candidate>) =>
  [...cs].filter((c) => c.finishedAt !== null && c.fitness !== null && (c.state === "completed" || c.state === "failed")).sort((a, b) => (a.finishedAt ?? "").localeCompare(b.finishedAt ?? "") || a.id.localeCompare(b.id));

/** Best fitness so far after each finished evaluation, with the training time spent up to it. */
export function progress(cs: Iterable<Candidate>): ProgressPoint[] {
  let best = -Infinity;
  let holder = "";
  let spent = 0;
  return finished(cs).map((c, i) => {
    spent += c.trainSeconds ?? 0;
    if ((c.fitness ?? 0) > best) {
      best = c.fitness ?? 0;
      holder = c.id;
    }
    return { evaluation: i + 1, trainSeconds: spent, bestSoFar: best, candidateId: holder };
  });
}

/** The first point, each improvement and the last: the whole step curve, in a few points. */
export function stepPoints(series: readonly ProgressPoint[], max = 300): ProgressPoint[] {
  const kept = series.filter((p, i) => i === 0 || i === series.length - 1 || p.bestSoFar > (series[i - 1]?.bestSoFar ?? -Infinity));
  return downsample(kept, max, (p) => p.bestSoFar);
}

export interface Winner {
  campaignId: string;
  candidateId: string | null;
  evaluations: number;
  best: number | null;
  accuracy: number | null;
  /** Evaluations and training seconds it took to first reach the best. */
  evaluationsToBest: number | null;
  trainSecondsToBest: number | null;
  trainSecondsTotal: number;
  testHit1: number | null;
  testMrr20: number | null;
}

export function winner(campaignId: string, cs: Iterable<Candidate>): Winner {
  const all = [...cs];
  const series = progress(all);
  const last = series.at(-1);
  const first = last ? series.find((p) => p.candidateId === last.candidateId) : undefined;
  const best = last ? all.find((c) => c.id === last.candidateId) : undefined;
  const test = RankingMetricsSchema.safeParse(best?.testMetrics);
  return {
    campaignId,
    candidateId: best?.id ?? null,
    evaluations: series.length,
    best: best?.fitness ?? null,
    accuracy: best?.accuracy ?? null,
    evaluationsToBest: first?.evaluation ?? null,
    trainSecondsToBest: first?.trainSeconds ?? null,
    trainSecondsTotal: last?.trainSeconds ?? 0,
    testHit1: test.success ? test.data.hit[1] : null,
    testMrr20: test.success ? test.data.mrr20 : null,
  };
}

/** The selection as the URL keeps it: toggling one in or out, order kept, no repeats. */
export function toggleId(ids: readonly string[], id: string): string[] {
  return ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id];
}
