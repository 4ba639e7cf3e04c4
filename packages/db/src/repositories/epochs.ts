// Per-epoch metrics: what the convergence charts draw. Written by workers as
// they train; a retried job overwrites its earlier attempt's epochs.
import type { EpochMetric } from "../generated/prisma/client.js";
import type { Db } from "../client.js";
import { IllegalTransitionError, NotFoundError } from "../errors.js";

export interface EpochInput {
  epoch: number;
  trainLoss: number;
  valLoss: number;
  valAccuracy: number;
  seconds: number;
  samplesPerSec?: number;
}

export class EpochMetricRepository {
  constructor(private readonly db: Db) {}

  /** Only a running candidate gains epochs: a finished one is a closed record. */
  async record(candidateId: string, input: EpochInput): Promise<EpochMetric> {
    const candidate = await this.db.candidate.findUnique({ where: { id: candidateId }, select: { state: true } });
    if (!candidate) throw new NotFoundError("candidate", candidateId);
    if (candidate.state !== "running") {
      throw new IllegalTransitionError("candidate", candidateId, candidate.state, "running (epoch report)");
    }
    return this.db.epochMetric.upsert({
      where: { candidateId_epoch: { candidateId, epoch: input.epoch } },
      create: { candidateId, ...input },
      update: input,
    });
  }

  list(candidateId: string): Promise<EpochMetric[]> {
    return this.db.epochMetric.findMany({ where: { candidateId }, orderBy: { epoch: "asc" } });
  }

  listForCampaign(campaignId: string): Promise<EpochMetric[]> {
    return this.db.epochMetric.findMany({
      where: { candidate: { campaignId } },
      orderBy: [{ candidateId: "asc" }, { epoch: "asc" }],
    });
  }
}
