// Candidates: one chromosome of a campaign and its evaluation. Every state
// change is a conditional UPDATE on the allowed source states, so two
// processes racing on one candidate cannot both win, and a refused change
// writes nothing.
import type { CampaignState, Candidate, Prisma } from "../generated/prisma/client.js";
import type { Db } from "../client.js";
import { DuplicateError, IllegalTransitionError, NotFoundError } from "../errors.js";
import { candidateSourcesOf, type CandidateStateName } from "../states.js";
import { isUniqueViolation } from "./prisma-errors.js";

export interface NewCandidate {
  campaignId: string;
  chromosome: Prisma.InputJsonValue;
  hash: string;
}

export interface StartInfo {
  workerId?: string;
  backend?: string;
  device?: string;
}

export interface Evaluation {
  fitness: number;
  accuracy: number;
  loss: number;
  converged: boolean;
  epochs: number;
  trainSeconds: number;
  testMetrics?: Prisma.InputJsonValue;
  artifact?: string;
  /** The trained model in the artifact store, when it was pushed. */
  artifactHash?: string;
  /** Why a completed run scored 0 (nan-loss, out-of-memory, unsettled); null otherwise. */
  error?: string | null;
  /** Why training stopped (converged, patience, max-epochs, pruned, ...). */
  stopReason?: string | null;
  /** The scored epoch, whose weights were kept. */
  bestEpoch?: number | null;
  /** The highest pruning rung reached, in epochs. */
  rung?: number | null;
}

export class CandidateRepository {
  constructor(private readonly db: Db) {}

  /** Throws DuplicateError when the campaign already has this chromosome hash. */
  async create(input: NewCandidate): Promise<Candidate> {
    try {
      return await this.db.candidate.create({ data: input });
    } catch (err) {
      if (isUniqueViolation(err)) throw new DuplicateError("candidate", `hash ${input.hash} in campaign ${input.campaignId}`);
      throw err;
    }
  }

  /** The existing candidate for this hash, or a new queued one: identical chromosomes train once. */
  async findOrCreate(input: NewCandidate): Promise<{ candidate: Candidate; created: boolean }> {
    const existing = await this.byHash(input.campaignId, input.hash);
    if (existing) return { candidate: existing, created: false };
    try {
      return { candidate: await this.create(input), created: true };
    } catch (err) {
      if (!(err instanceof DuplicateError)) throw err;
      const winner = await this.byHash(input.campaignId, input.hash);
      if (!winner) throw err;
      return { candidate: winner, created: false };
    }
  }

  async get(id: string): Promise<Candidate> {
    const row = await this.db.candidate.findUnique({ where: { id } });
    if (!row) throw new NotFoundError("candidate", id);
    return row;
  }

  /** The candidate and its campaign's state in one query: what a worker checks before training. */
  async getWithCampaignState(id: string): Promise<{ candidate: Candidate; campaignState: CampaignState }> {
    const row = await this.db.candidate.findUnique({ where: { id }, include: { campaign: { select: { state: true } } } });
    if (!row) throw new NotFoundError("candidate", id);
    const { campaign, ...candidate } = row;
    return { candidate, campaignState: campaign.state };
  }

  byHash(campaignId: string, hash: string): Promise<Candidate | null> {
    return this.db.candidate.findUnique({ where: { campaignId_hash: { campaignId, hash } } });
  }

  listByCampaign(campaignId: string): Promise<Candidate[]> {
    return this.db.candidate.findMany({ where: { campaignId }, orderBy: { queuedAt: "asc" } });
  }

  /** queued -> running; counts the attempt. */
  start(id: string, info: StartInfo = {}): Promise<Candidate> {
    const now = new Date();
    return this.transition(id, "running", {
      ...info,
      startedAt: now,
      heartbeatAt: now,
      attempts: { increment: 1 },
      error: null,
    });
  }

  /** running -> completed with the measured evaluation. */
  complete(id: string, result: Evaluation): Promise<Candidate> {
    return this.transition(id, "completed", { ...result, finishedAt: new Date() });
  }

  /** queued|running -> failed, keeping the reason. Fitness is 0 by the fitness rule. */
  fail(id: string, error: string): Promise<Candidate> {
    return this.transition(id, "failed", { error, fitness: 0, finishedAt: new Date() });
  }

  cancel(id: string, reason = "cancelled"): Promise<Candidate> {
    return this.transition(id, "cancelled", { error: reason, finishedAt: new Date() });
  }

  /** running -> queued after a stall or a dead worker; the job will run again. */
  requeue(id: string, reason: string): Promise<Candidate> {
    return this.transition(id, "queued", { error: reason, workerId: null, heartbeatAt: null });
  }

  /** The highest fitness a completed candidate of the campaign reached, or null before the first. */
  async bestFitness(campaignId: string): Promise<number | null> {
    const r = await this.db.candidate.aggregate({ where: { campaignId, state: "completed" }, _max: { fitness: true } });
    return r._max.fitness;
  }

  /** Refreshes the heartbeat of a running candidate; false when it is no longer running. */
  async heartbeat(id: string): Promise<boolean> {
    const { count } = await this.db.candidate.updateMany({
      where: { id, state: "running" },
      data: { heartbeatAt: new Date() },
    });
    return count === 1;
  }

  /** Running candidates whose heartbeat is older than `before` (in one campaign, if given): their worker is presumed dead. */
  listStale(before: Date, campaignId?: string): Promise<Candidate[]> {
    return this.db.candidate.findMany({ where: { state: "running", heartbeatAt: { lt: before }, ...(campaignId ? { campaignId } : {}) } });
  }

  /** Queued and running candidates of a campaign: what the coordinator reconciles with the queue. */
  listPending(campaignId: string): Promise<Candidate[]> {
    return this.db.candidate.findMany({ where: { campaignId, state: { in: ["queued", "running"] } }, orderBy: { queuedAt: "asc" } });
  }

  /** State, fitness and id of the given chromosomes of a campaign: what the coordinator polls. */
  statesOf(campaignId: string, hashes: readonly string[]): Promise<Pick<Candidate, "id" | "hash" | "state" | "fitness">[]> {
    return this.db.candidate.findMany({
      where: { campaignId, hash: { in: [...hashes] } },
      select: { id: true, hash: true, state: true, fitness: true },
    });
  }

  private async transition(
    id: string,
    to: CandidateStateName,
    data: Omit<Prisma.CandidateUncheckedUpdateManyInput, "state">,
  ): Promise<Candidate> {
    // One round trip on the happy path: UPDATE ... RETURNING.
    const [updated] = await this.db.candidate.updateManyAndReturn({
      where: { id, state: { in: candidateSourcesOf(to) } },
      data: { ...data, state: to },
    });
    if (updated) return updated;
    const current = await this.db.candidate.findUnique({ where: { id }, select: { state: true } });
    if (!current) throw new NotFoundError("candidate", id);
    throw new IllegalTransitionError("candidate", id, current.state, to);
  }
}
