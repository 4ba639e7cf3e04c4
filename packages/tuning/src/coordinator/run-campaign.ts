// The coordinator's loop for one campaign (DESIGN.md sections 5 and 6). It
// keeps nothing that is not in the database: the GA engine's snapshot is
// saved before jobs go out and after results come in, candidates are found
// by (campaign, hash), and jobs are deduplicated by the same key. Kill it at
// any moment and run it again: it re-asks the same chromosomes, finds their
// results or their jobs, and trains nothing twice.
import { createHash, randomUUID } from "node:crypto";
import { isFinished } from "@drnn/contract";
import { GaEngine, type Candidate as GaCandidate, type GenerationSummary } from "@drnn/ga";
import { isDatabaseUnavailable, type Campaign, type Candidate, type Dataset, type Repositories } from "@drnn/db";
import type { FitnessJobPayload } from "@drnn/queue";
import { reasonOf, type Logger } from "@drnn/ops";
import type { FitnessExecutor } from "../executors/executor.js";
import { OutageLog } from "../services/outage-log.js";
import { reconcileCandidates } from "./reconcile.js";
import { campaignSettings, type CampaignSettings } from "./settings.js";

export interface CampaignProgress {
  campaignId: string;
  generation: number;
  evaluations: number;
  budget: number;
  running: number;
  best: { hash: string; fitness: number } | null;
}

export interface RunCampaignDeps {
  repos: Repositories;
  executor: FitnessExecutor;
  /** Requeues and their failures, with the candidate and campaign ids. */
  logger?: Logger;
  /** How often candidate states are read back. */
  pollMs?: number;
  /** A running candidate silent this long is presumed lost, requeued and resubmitted. */
  staleAfterMs?: number;
  /** Stops the loop (coordinator shutdown); the campaign stays running and resumable. */
  signal?: AbortSignal;
  onProgress?: (p: CampaignProgress) => void;
  now?: () => number;
  /** This coordinator's name in the campaign lease (default: a random one). */
  owner?: string;
  /** Lease length; renewed every poll, so a crashed coordinator's lease runs out this long after. */
  leaseMs?: number;
  /** How often unfinished candidates are checked against their jobs (reconcile.ts); also once at start. */
  reconcileMs?: number;
  /** Where database outages are reported, once each way (default: nowhere). */
  outages?: OutageLog;
}

/** `busy`: another live coordinator holds the campaign's lease. */
export type RunOutcome = "completed" | "cancelled" | "failed" | "stopped" | "busy";

const DEFAULT_LEASE_MS = 30_000;
const DEFAULT_RECONCILE_MS = 5_000;
/** A candidate whose job keeps getting lost or failing for want of a service is failed after this many fresh jobs. */
const MAX_REDISPATCHES = 5;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A per-candidate training seed derived from the campaign seed: same campaign, same seeds. */
export function candidateSeed(campaignSeed: bigint, hash: string): number {
  return parseInt(createHash("sha256").update(`${campaignSeed}:${hash}`).digest("hex").slice(0, 8), 16) & 0x7fffffff;
}

function openEngine(campaign: Campaign, settings: CampaignSettings): GaEngine {
  if (campaign.engineState) return GaEngine.restore(campaign.engineState);
  return GaEngine.create(campaign.searchSpace, { ...settings.ga, seed: campaign.seed.toString(), maxEvaluations: campaign.budget } as never);
}

class CampaignRun {
  private readonly settings: CampaignSettings;
  private closedGenerations = 0;
  private readonly startedAt: number;
  private lastReconcile = Number.NEGATIVE_INFINITY;
  private readonly redispatched = new Map<string, number>();
  private readonly outages: OutageLog;

  constructor(
    private campaign: Campaign,
    private readonly dataset: Dataset,
    private readonly engine: GaEngine,
    private readonly deps: RunCampaignDeps,
    private readonly owner: string,
  ) {
    this.settings = campaignSettings.parse(campaign.gaSettings);
    this.closedGenerations = engine.history.length;
    this.startedAt = (campaign.startedAt ?? new Date()).getTime();
    this.outages = deps.outages ?? new OutageLog(() => undefined);
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  private get repos() {
    return this.deps.repos;
  }

  private payload(c: Candidate): FitnessJobPayload {
    return {
      campaignId: this.campaign.id,
      candidateId: c.id,
      hash: c.hash,
      chromosome: c.chromosome as Record<string, unknown>,
      dataset: { id: this.dataset.id, contentHash: this.dataset.contentHash, location: this.dataset.location },
      training: { ...this.settings.training, seed: candidateSeed(this.campaign.seed, c.hash) },
    };
  }

  private async saveSnapshot(): Promise<void> {
    await this.repos.campaigns.saveEngineState(this.campaign.id, this.engine.snapshot() as object);
  }

  /** Makes a candidate row per asked chromosome and sends the unfinished ones to the workers. */
  private async dispatch(batch: GaCandidate[]): Promise<Map<string, Candidate>> {
    const rows = new Map<string, Candidate>();
    for (const c of batch) {
      const { candidate } = await this.repos.candidates.findOrCreate({ campaignId: this.campaign.id, chromosome: c.genes as object, hash: c.hash });
      rows.set(c.hash, candidate);
      if (candidate.state === "queued") await this.deps.executor.submit(this.payload(candidate));
    }
    await this.openGeneration();
    return rows;
  }

  private async openGeneration(): Promise<void> {
    const all = await this.repos.candidates.listByCampaign(this.campaign.id);
    const byHash = new Map(all.map((c) => [c.hash, c.id]));
    const ids = this.engine.population.map((p) => byHash.get(p.hash)).filter((id): id is string => id !== undefined);
    await this.repos.campaigns.openGeneration(this.campaign.id, this.engine.generation, ids);
  }

  private async closeGenerations(): Promise<void> {
    const history: readonly GenerationSummary[] = this.engine.history;
    for (; this.closedGenerations < history.length; this.closedGenerations++) {
      const g = history[this.closedGenerations];
      if (!g || g.best === null || g.mean === null || g.worst === null) continue;
      await this.repos.campaigns.closeGeneration(this.campaign.id, g.generation, { bestFitness: g.best, meanFitness: g.mean, worstFitness: g.worst });
    }
  }

  /** Renews the lease; false when another coordinator took the campaign over. */
  private async renewLease(): Promise<boolean> {
    return this.repos.campaigns.acquireLease(this.campaign.id, this.owner, this.deps.leaseMs ?? DEFAULT_LEASE_MS, new Date(this.deps.now?.() ?? Date.now()));
  }

  private staleCutoff(): Date {
    return new Date(this.now() - (this.deps.staleAfterMs ?? 120_000));
  }

  private async requeueStale(): Promise<void> {
    for (const c of await this.repos.candidates.listStale(this.staleCutoff(), this.campaign.id)) {
      const ids = { candidateId: c.id };
      // It may have finished or been requeued by someone else since it was listed: log it and go on.
      const requeued = await this.repos.candidates.requeue(c.id, "no heartbeat: worker presumed lost").catch((err: unknown) => {
        this.deps.logger?.warn({ err, ...ids }, "requeue of a stale candidate failed");
        return null;
      });
      if (!requeued) continue;
      this.deps.logger?.info(ids, "stale candidate requeued (no heartbeat)");
      await this.deps.executor.submit(this.payload(requeued));
    }
  }

  private async reconcile(): Promise<void> {
    if (this.now() - this.lastReconcile < (this.deps.reconcileMs ?? DEFAULT_RECONCILE_MS)) return;
    await reconcileCandidates(this.campaign.id, {
      repos: this.repos,
      executor: this.deps.executor,
      payload: (c) => this.payload(c),
      aliveSince: this.staleCutoff(),
      redispatched: this.redispatched,
      maxRedispatches: MAX_REDISPATCHES,
    });
    this.lastReconcile = this.now();
  }

  private progress(running: number): void {
    const best = this.engine.best;
    this.deps.onProgress?.({
      campaignId: this.campaign.id,
      generation: this.engine.generation,
      evaluations: this.engine.evaluations,
      budget: this.campaign.budget,
      running,
      best: best ? { hash: best.hash, fitness: best.fitness } : null,
    });
  }

  /** Polls until every chromosome of the batch has a final state, telling the engine as they land. */
  private async collect(batch: GaCandidate[]): Promise<RunOutcome | null> {
    const pending = new Set(batch.map((c) => c.hash));
    let backoff = this.deps.pollMs ?? 250;
    while (pending.size > 0) {
      if (this.deps.signal?.aborted) return "stopped";
      let stop: RunOutcome | null;
      try {
        stop = await this.tick(pending);
        this.outages.up("PostgreSQL");
        backoff = this.deps.pollMs ?? 250;
      } catch (err) {
        // The database is away: wait for it, keeping everything; any other error ends the run.
        if (!isDatabaseUnavailable(err)) throw err;
        this.outages.down("PostgreSQL", err);
        await sleep(backoff);
        backoff = Math.min(backoff * 2, 5_000);
        continue;
      }
      if (stop) return stop;
      if (pending.size > 0) await sleep(this.deps.pollMs ?? 250);
    }
    return null;
  }

  /** One poll: lease, campaign state, results in, lost jobs out. */
  private async tick(pending: Set<string>): Promise<RunOutcome | null> {
    const leased = await this.renewLease();
    this.campaign = await this.repos.campaigns.get(this.campaign.id);
    if (this.campaign.state !== "running") return this.campaign.state === "cancelled" ? "cancelled" : "failed";
    if (!leased) return "busy";
    const rows = await this.repos.candidates.statesOf(this.campaign.id, [...pending]);
    let told = false;
    for (const c of rows.filter((r) => isFinished(r.state))) {
      this.engine.tell(c.hash, c.state === "completed" ? (c.fitness ?? 0) : 0);
      pending.delete(c.hash);
      told = true;
    }
    if (told) {
      await this.saveSnapshot();
      await this.closeGenerations();
    }
    this.progress(rows.filter((r) => r.state === "running").length);
    if (pending.size > 0) {
      await this.requeueStale();
      await this.reconcile();
    }
    return null;
  }

  private outOfTime(): boolean {
    const max = this.settings.maxSeconds;
    return max !== null && (this.deps.now?.() ?? Date.now()) - this.startedAt > max * 1000;
  }

  async run(): Promise<RunOutcome> {
    while (!this.engine.done && !this.outOfTime()) {
      const batch = this.engine.ask();
      await this.saveSnapshot();
      await this.dispatch(batch);
      const stop = await this.collect(batch);
      if (stop) return stop;
    }
    await this.closeGenerations();
    await this.repos.campaigns.complete(this.campaign.id);
    this.progress(0);
    return "completed";
  }
}

/** Runs (or resumes) a campaign until it completes, is cancelled, or `signal` stops it. */
export async function runCampaign(campaignId: string, given: RunCampaignDeps): Promise<RunOutcome> {
  // Every line about this campaign names it.
  const logger = given.logger?.child({ campaignId });
  const deps: RunCampaignDeps = logger ? { ...given, logger } : given;
  let campaign = await deps.repos.campaigns.get(campaignId);
  if (campaign.state === "completed" || campaign.state === "cancelled" || campaign.state === "failed") return campaign.state;
  const owner = deps.owner ?? `coordinator-${randomUUID()}`;
  const now = new Date(deps.now?.() ?? Date.now());
  if (!(await deps.repos.campaigns.acquireLease(campaignId, owner, deps.leaseMs ?? DEFAULT_LEASE_MS, now))) return "busy";
  logger?.info("campaign lease taken; running");
  if (campaign.state === "queued") campaign = await deps.repos.campaigns.start(campaignId);
  const dataset = await deps.repos.datasets.get(campaign.datasetId);
  const settings = campaignSettings.parse(campaign.gaSettings);
  let outcome: RunOutcome | "error" = "error";
  try {
    outcome = await new CampaignRun(campaign, dataset, openEngine(campaign, settings), deps, owner).run();
    return outcome;
  } catch (err) {
    // The database away is not the campaign's fault: it stays resumable (the coordinator service runs it again).
    if (isDatabaseUnavailable(err)) throw err;
    // A bug or a corrupt snapshot must not leave a campaign "running" forever.
    const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    await deps.repos.campaigns.fail(campaignId, reason).catch(() => undefined);
    throw err;
  } finally {
    await deps.repos.campaigns.releaseLease(campaignId, owner).then(
      () => logger?.info({ outcome }, "campaign lease released"),
      (err: unknown) => logger?.warn({ outcome, reason: reasonOf(err) }, "campaign lease not released (it runs out by itself)"),
    );
  }
}
