// Launching, cancelling and describing campaigns: what the CLI and the API
// call. Everything is validated before a row is written, so a campaign in
// the database always has a search space and settings the engine accepts.
import { parseGaSettings, parseSearchSpace, defaultSearchSpace, type StrategyName } from "@drnn/ga";
import type { Campaign, Candidate, Repositories } from "@drnn/db";
import { campaignSettings, type CampaignSettingsInput } from "./settings.js";

export interface LaunchInput {
  name?: string;
  datasetId: string;
  strategy: StrategyName;
  seed: bigint;
  /** Most fitness evaluations. */
  budget: number;
  searchSpace?: unknown;
  settings?: CampaignSettingsInput;
}

/** Validates and stores a campaign in state `queued`; a coordinator picks it up. */
export async function launchCampaign(repos: Repositories, input: LaunchInput): Promise<Campaign> {
  const space = input.searchSpace === undefined ? defaultSearchSpace() : parseSearchSpace(input.searchSpace);
  const settings = campaignSettings.parse(input.settings ?? {});
  // The engine's own validation, with the campaign's seed and budget, before anything is stored.
  parseGaSettings({ ...settings.ga, strategy: input.strategy, seed: input.seed.toString(), maxEvaluations: input.budget });
  return repos.campaigns.create({
    ...(input.name ? { name: input.name } : {}),
    datasetId: input.datasetId,
    strategy: input.strategy,
    searchSpace: space as object,
    gaSettings: { ...settings, ga: { ...settings.ga, strategy: input.strategy } } as object,
    seed: input.seed,
    budget: input.budget,
  });
}

/** Cancels the campaign and its queued candidates; running ones are stopped by their workers. */
export async function cancelCampaign(repos: Repositories, id: string): Promise<Campaign> {
  const campaign = await repos.campaigns.cancel(id);
  for (const c of await repos.candidates.listByCampaign(id)) {
    if (c.state === "queued") await repos.candidates.cancel(c.id, "campaign cancelled").catch(() => undefined);
  }
  return campaign;
}

export interface CampaignStatus {
  campaignId: string;
  name: string | null;
  state: Campaign["state"];
  strategy: Campaign["strategy"];
  generation: number;
  evaluations: number;
  budget: number;
  best: { hash: string; chromosome: unknown; fitness: number; accuracy: number | null } | null;
  candidates: { hash: string; state: Candidate["state"]; fitness: number | null; attempts: number; backend: string | null; error: string | null }[];
}

export async function campaignStatus(repos: Repositories, id: string): Promise<CampaignStatus> {
  const campaign = await repos.campaigns.get(id);
  const candidates = await repos.candidates.listByCampaign(id);
  const generations = await repos.campaigns.generations(id);
  const completed = candidates.filter((c) => c.state === "completed" && c.fitness !== null);
  const best = completed.reduce<Candidate | null>((b, c) => (b === null || (c.fitness ?? 0) > (b.fitness ?? 0) ? c : b), null);
  return {
    campaignId: campaign.id,
    name: campaign.name,
    state: campaign.state,
    strategy: campaign.strategy,
    generation: generations.length === 0 ? 0 : Math.max(...generations.map((g) => g.index)),
    evaluations: candidates.filter((c) => c.state === "completed" || c.state === "failed").length,
    budget: campaign.budget,
    best: best ? { hash: best.hash, chromosome: best.chromosome, fitness: best.fitness ?? 0, accuracy: best.accuracy } : null,
    candidates: candidates.map((c) => ({ hash: c.hash, state: c.state, fitness: c.fitness, attempts: c.attempts, backend: c.backend, error: c.error })),
  };
}
