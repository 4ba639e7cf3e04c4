// Following a campaign from the command line: run its coordinator loop here
// with a progress bar until it ends, then report its status.
import type { RankingMetrics } from "@drnn/model";
import { campaignStatus, runCampaign, type CampaignStatus, type Comparison, type FitnessExecutor } from "@drnn/tuning";
import type { Repositories } from "@drnn/db";
import type { Output } from "./output.js";
import { ProgressBar } from "./progress.js";

export interface CampaignSummary extends Record<string, unknown> {
  campaignId: string;
  state: string;
  best: { chromosome: unknown; fitness: number; accuracy: number | null } | null;
  evaluations: number;
}

export function summarize(status: CampaignStatus): CampaignSummary {
  return {
    campaignId: status.campaignId,
    state: status.state,
    generation: status.generation,
    evaluations: status.evaluations,
    budget: status.budget,
    fitnessPolicy: status.fitnessPolicy,
    pruning: status.pruning,
    best: status.best ? { chromosome: status.best.chromosome, fitness: status.best.fitness, accuracy: status.best.accuracy } : null,
    comparison: status.comparison,
    candidates: status.candidates,
  };
}

/** Runs the campaign's loop in this process; Ctrl-C stops following, and the campaign stays resumable. */
export async function followCampaign(repos: Repositories, executor: FitnessExecutor, campaignId: string, out: Output): Promise<CampaignSummary> {
  const bar = new ProgressBar();
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    const outcome = await runCampaign(campaignId, {
      repos,
      executor,
      signal: stop.signal,
      pollMs: 200,
      onProgress: (p) =>
        bar.update({
          done: p.evaluations,
          total: p.budget,
          label: `evaluations · generation ${p.generation} · training ${p.running} · best ${p.best ? p.best.fitness.toFixed(4) : "-"}`,
        }),
    });
    bar.finish();
    if (outcome === "busy") out.progress(`campaign ${campaignId} is being run by another coordinator; showing its status`);
    if (outcome === "stopped") out.progress(`stopped following; resume with 'drnn campaign resume ${campaignId}'`);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  return summarize(await campaignStatus(repos, campaignId));
}

export function humanSummary(r: Record<string, unknown>): string {
  const best = r["best"] as CampaignSummary["best"];
  const lines = [`campaign ${String(r["campaignId"])}: ${String(r["state"])}, ${String(r["evaluations"])} evaluations`];
  if (best) lines.push(`best fitness ${best.fitness.toFixed(4)} (accuracy ${best.accuracy?.toFixed(4) ?? "-"}): ${JSON.stringify(best.chromosome)}`);
  const comparison = r["comparison"] as Comparison | undefined;
  if (comparison) lines.push(...comparisonTable(comparison));
  return lines.join("\n");
}

/** The best model beside the baselines on the test split, and whether it is ahead. */
export function comparisonTable(c: Comparison): string[] {
  const rows: [string, RankingMetrics | null][] = [["tuned DRNN", c.drnn], ...Object.entries(c.baselines ?? {}).map(([m, v]): [string, RankingMetrics] => [m, v])];
  const f = (x: number | undefined) => (x === undefined ? "     -" : x.toFixed(4));
  const lines = [`${c.split} split        hit@1   hit@5  hit@20  MRR@20`];
  for (const [name, m] of rows) lines.push(`${name.padEnd(12)}  ${f(m?.hit[1])}  ${f(m?.hit[5])}  ${f(m?.hit[20])}  ${f(m?.mrr20)}`);
  if (c.drnn && c.baselines) {
    const best = Object.entries(c.baselines).reduce((a, b) => (b[1].hit[1] > a[1].hit[1] ? b : a));
    const ahead = c.drnn.hit[1] > best[1].hit[1] && c.drnn.mrr20 > Math.max(...Object.values(c.baselines).map((m) => m.mrr20));
    lines.push(ahead ? `the tuned DRNN is ahead of every baseline on hit@1 and MRR@20` : `the tuned DRNN is NOT ahead of every baseline (best baseline on hit@1: ${best[0]} ${best[1].hit[1].toFixed(4)})`);
  } else if (!c.baselines) lines.push("baselines: the dataset is not readable here");
  return lines;
}
