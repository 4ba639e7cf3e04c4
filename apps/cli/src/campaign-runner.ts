// Following a campaign from the command line: run its coordinator loop here
// with a progress bar until it ends, then report its status.
import { campaignStatus, runCampaign, type CampaignStatus, type FitnessExecutor } from "@drnn/tuning";
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
  return lines.join("\n");
}
