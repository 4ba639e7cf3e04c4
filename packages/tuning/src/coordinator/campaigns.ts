// Launching, cancelling and describing campaigns: what the CLI and the API
// call. Everything is validated before a row is written, so a campaign in
// the database always has a search space and settings the engine accepts.
import { InvalidChromosomeError, InvalidGaSettingsError, formatIssue, parseGaSettings, parseSearchSpace, defaultSearchSpace, validateChromosome, type SearchSpace, type StrategyName } from "@drnn/ga";
import type { Campaign, Candidate, Repositories } from "@drnn/db";
import type { RankingMetrics } from "@drnn/model";
import { datasetBaselines, recordedPath, type Comparison, type DatasetDirectory } from "./comparison.js";
import { campaignSettings, type CampaignSettingsInput } from "./settings.js";
import { seedsFor, type WarmStart } from "./warm-start.js";

export interface LaunchInput {
  name?: string;
  datasetId: string;
  strategy: StrategyName;
  seed: bigint;
  /** Most fitness evaluations. */
  budget: number;
  searchSpace?: unknown;
  settings?: CampaignSettingsInput;
  /** Seeds for the initial population: given chromosomes and/or another campaign's best. */
  warmStart?: WarmStart;
}

/** Every chromosome of `ga.initial` against the search space, all problems at once, named `initial.<i>.<gene>`. */
function checkInitial(space: SearchSpace, initial: unknown): void {
  if (!Array.isArray(initial)) return;
  const issues: { path: string; message: string }[] = [];
  initial.forEach((raw: unknown, i) => {
    try {
      validateChromosome(space, raw);
    } catch (err) {
      if (!(err instanceof InvalidChromosomeError)) throw err;
      for (const issue of err.issues) issues.push({ path: `initial.${i}.${issue.gene}`, message: formatIssue(issue) });
    }
  });
  if (issues.length > 0) throw new InvalidGaSettingsError(issues);
}

/** Validates and stores a campaign in state `queued`; a coordinator picks it up. */
export async function launchCampaign(repos: Repositories, input: LaunchInput): Promise<Campaign> {
  const space = input.searchSpace === undefined ? defaultSearchSpace() : parseSearchSpace(input.searchSpace);
  const settings = campaignSettings.parse(input.settings ?? {});
  checkInitial(space, settings.ga["initial"]);
  if (input.warmStart) {
    const size = parseGaSettings({ ...settings.ga, strategy: input.strategy, seed: "0" }).populationSize;
    const seeds = await seedsFor(repos, space, input.warmStart, size);
    if (seeds.length > 0) settings.ga = { ...settings.ga, initial: seeds };
  }
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
    fitnessPolicy: settings.training.policy,
    pruning: settings.training.pruning !== null,
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
  fitnessPolicy: Campaign["fitnessPolicy"];
  pruning: boolean;
  best: { hash: string; chromosome: unknown; fitness: number; accuracy: number | null } | null;
  /** The best model's test metrics beside the baselines' on the same split. */
  comparison: Comparison;
  candidates: CandidateSummary[];
}

export interface CandidateSummary {
  hash: string;
  state: Candidate["state"];
  fitness: number | null;
  /** Validation accuracy of the scored epoch. */
  accuracy: number | null;
  /** Epochs trained, and the scored one among them. */
  epochs: number | null;
  bestEpoch: number | null;
  stopReason: string | null;
  /** The highest pruning rung reached, in epochs (null: none, or no pruning). */
  rung: number | null;
  attempts: number;
  backend: string | null;
  error: string | null;
}

function candidateSummary(c: Candidate): CandidateSummary {
  return {
    hash: c.hash,
    state: c.state,
    fitness: c.fitness,
    accuracy: c.accuracy,
    epochs: c.epochs,
    bestEpoch: c.bestEpoch,
    stopReason: c.stopReason,
    rung: c.rung,
    attempts: c.attempts,
    backend: c.backend,
    error: c.error,
  };
}

export async function campaignStatus(repos: Repositories, id: string, datasetDir: DatasetDirectory = recordedPath): Promise<CampaignStatus> {
  const campaign = await repos.campaigns.get(id);
  const candidates = await repos.candidates.listByCampaign(id);
  const generations = await repos.campaigns.generations(id);
  const completed = candidates.filter((c) => c.state === "completed" && c.fitness !== null);
  const best = completed.reduce<Candidate | null>((b, c) => (b === null || (c.fitness ?? 0) > (b.fitness ?? 0) ? c : b), null);
  const baselines = await datasetBaselines(repos, await repos.datasets.get(campaign.datasetId), datasetDir);
  return {
    campaignId: campaign.id,
    name: campaign.name,
    state: campaign.state,
    strategy: campaign.strategy,
    generation: generations.length === 0 ? 0 : Math.max(...generations.map((g) => g.index)),
    evaluations: candidates.filter((c) => c.state === "completed" || c.state === "failed").length,
    budget: campaign.budget,
    fitnessPolicy: campaign.fitnessPolicy,
    pruning: campaign.pruning,
    best: best ? { hash: best.hash, chromosome: best.chromosome, fitness: best.fitness ?? 0, accuracy: best.accuracy } : null,
    comparison: { split: "test", drnn: (best?.testMetrics as RankingMetrics | null | undefined) ?? null, baselines },
    candidates: candidates.map(candidateSummary),
  };
}
