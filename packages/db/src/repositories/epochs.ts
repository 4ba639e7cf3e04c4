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
  async record(candidateId: string, input: EpochInput): Promise<void> {
    // One statement on the happy path: the row is written only while the
    // candidate is running; zero rows written means it is not (or is gone).
    const i = { samplesPerSec: null, ...input };
    const written = await this.db.$executeRaw`
      INSERT INTO "EpochMetric" ("candidateId", epoch, "trainLoss", "valLoss", "valAccuracy", seconds, "samplesPerSec")
      SELECT ${candidateId}::uuid, ${i.epoch}, ${i.trainLoss}, ${i.valLoss}, ${i.valAccuracy}, ${i.seconds}, ${i.samplesPerSec}
      WHERE EXISTS (SELECT 1 FROM "Candidate" WHERE id = ${candidateId}::uuid AND state = 'running')
      ON CONFLICT ("candidateId", epoch) DO UPDATE SET
        "trainLoss" = EXCLUDED."trainLoss", "valLoss" = EXCLUDED."valLoss", "valAccuracy" = EXCLUDED."valAccuracy",
        seconds = EXCLUDED.seconds, "samplesPerSec" = EXCLUDED."samplesPerSec"`;
    if (written === 1) return;
    const candidate = await this.db.candidate.findUnique({ where: { id: candidateId }, select: { state: true } });
    if (!candidate) throw new NotFoundError("candidate", candidateId);
    throw new IllegalTransitionError("candidate", candidateId, candidate.state, "running (epoch report)");
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
