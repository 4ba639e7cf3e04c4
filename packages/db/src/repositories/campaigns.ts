// Campaigns and their generations. The GA engine's snapshot lives in
// `engineState`, so any coordinator process can pick a campaign up again.
import type { Campaign, FitnessPolicy, Generation, Prisma, Strategy } from "../generated/prisma/client.js";
import type { Db } from "../client.js";
import { IllegalTransitionError, NotFoundError } from "../errors.js";
import { campaignSourcesOf, type CampaignStateName } from "../states.js";

export interface NewCampaign {
  name?: string;
  datasetId: string;
  strategy: Strategy;
  searchSpace: Prisma.InputJsonValue;
  gaSettings: Prisma.InputJsonValue;
  seed: bigint;
  budget: number;
  /** Default patience. */
  fitnessPolicy?: FitnessPolicy;
  pruning?: boolean;
}

export interface GenerationStats {
  bestFitness: number;
  meanFitness: number;
  worstFitness: number;
}

export class CampaignRepository {
  constructor(private readonly db: Db) {}

  create(input: NewCampaign): Promise<Campaign> {
    return this.db.campaign.create({ data: input });
  }

  async get(id: string): Promise<Campaign> {
    const row = await this.db.campaign.findUnique({ where: { id } });
    if (!row) throw new NotFoundError("campaign", id);
    return row;
  }

  list(options: { state?: CampaignStateName; datasetId?: string; take?: number } = {}): Promise<Campaign[]> {
    return this.db.campaign.findMany({
      where: { ...(options.state ? { state: options.state } : {}), ...(options.datasetId ? { datasetId: options.datasetId } : {}) },
      orderBy: { createdAt: "desc" },
      take: options.take ?? 100,
    });
  }

  start(id: string): Promise<Campaign> {
    return this.transition(id, "running", { startedAt: new Date() });
  }

  complete(id: string): Promise<Campaign> {
    return this.transition(id, "completed", { finishedAt: new Date() });
  }

  cancel(id: string): Promise<Campaign> {
    return this.transition(id, "cancelled", { finishedAt: new Date() });
  }

  fail(id: string, error: string): Promise<Campaign> {
    return this.transition(id, "failed", { error, finishedAt: new Date() });
  }

  /** Stores the engine snapshot; refused once the campaign has finished. */
  async saveEngineState(id: string, engineState: Prisma.InputJsonValue): Promise<void> {
    const { count } = await this.db.campaign.updateMany({
      where: { id, state: { in: ["queued", "running"] } },
      data: { engineState },
    });
    if (count === 1) return;
    const current = await this.get(id);
    throw new IllegalTransitionError("campaign", id, current.state, current.state);
  }

  /**
   * Takes or renews the campaign's lease for `owner`: true when `owner` now
   * holds it. Only one coordinator runs a campaign at a time; a crashed
   * one's lease simply runs out. Times come from the caller's clock, so
   * leases should be long against clock skew between nodes.
   */
  async acquireLease(id: string, owner: string, ms: number, now: Date = new Date()): Promise<boolean> {
    const { count } = await this.db.campaign.updateMany({
      where: { id, state: { in: ["queued", "running"] }, OR: [{ leaseOwner: null }, { leaseOwner: owner }, { leaseUntil: { lt: now } }] },
      data: { leaseOwner: owner, leaseUntil: new Date(now.getTime() + ms) },
    });
    return count === 1;
  }

  async releaseLease(id: string, owner: string): Promise<void> {
    await this.db.campaign.updateMany({ where: { id, leaseOwner: owner }, data: { leaseOwner: null, leaseUntil: null } });
  }

  /** Campaigns a coordinator should run: queued or running, with no live lease held by another. */
  runnable(now: Date = new Date()): Promise<Campaign[]> {
    return this.db.campaign.findMany({
      where: { state: { in: ["queued", "running"] }, OR: [{ leaseOwner: null }, { leaseUntil: { lt: now } }] },
      orderBy: { createdAt: "asc" },
    });
  }

  /** Opens generation `index` with its population, slot by slot (idempotent). */
  async openGeneration(campaignId: string, index: number, candidateIds: readonly string[]): Promise<Generation> {
    return this.db.$transaction(async (tx) => {
      const generation = await tx.generation.upsert({
        where: { campaignId_index: { campaignId, index } },
        create: { campaignId, index },
        update: {},
      });
      await tx.generationMember.deleteMany({ where: { generationId: generation.id } });
      await tx.generationMember.createMany({
        data: candidateIds.map((candidateId, slot) => ({ generationId: generation.id, slot, candidateId })),
      });
      return generation;
    });
  }

  /** Records a generation's fitness summary; the row is created if it was never opened. */
  closeGeneration(campaignId: string, index: number, stats: GenerationStats): Promise<Generation> {
    const data = { ...stats, completedAt: new Date() };
    return this.db.generation.upsert({
      where: { campaignId_index: { campaignId, index } },
      create: { campaignId, index, ...data },
      update: data,
    });
  }

  generations(campaignId: string): Promise<Generation[]> {
    return this.db.generation.findMany({ where: { campaignId }, orderBy: { index: "asc" } });
  }

  private async transition(id: string, to: CampaignStateName, data: Prisma.CampaignUpdateManyMutationInput): Promise<Campaign> {
    const { count } = await this.db.campaign.updateMany({
      where: { id, state: { in: campaignSourcesOf(to) } },
      data: { ...data, state: to },
    });
    if (count === 1) return this.get(id);
    const current = await this.db.campaign.findUnique({ where: { id }, select: { state: true } });
    if (!current) throw new NotFoundError("campaign", id);
    throw new IllegalTransitionError("campaign", id, current.state, to);
  }
}
