// The online loop's decisions (guarded promotion) and their lineage. A
// decision is written with everything it decides in one transaction: the
// candidate's version, its promotion when it won, the decision row and the
// batch's training -> decided. A retrain killed before the commit leaves
// nothing behind and runs again; one killed after it finds its batch decided.
import type { DecisionOutcome, ModelDecision, ModelVersion, Prisma } from "../generated/prisma/client.js";
import type { Db } from "../client.js";
import { IllegalTransitionError, NotFoundError } from "../errors.js";
import type { NewModelVersion } from "./models.js";
import { isUniqueViolation } from "./prisma-errors.js";

export interface NewDecision {
  modelName: string;
  batchId: string;
  /** The candidate, registered as the name's next version whatever the outcome. */
  version: Omit<NewModelVersion, "name">;
  parentVersionId: string | null;
  parentVersion: number | null;
  batchIds: string[];
  sessionCount: number;
  outcome: DecisionOutcome;
  reason: string;
  metric: string;
  margin: number;
  candidateMetrics: Prisma.InputJsonValue;
  liveMetrics: Prisma.InputJsonValue;
  details: Prisma.InputJsonValue;
  actor?: string;
}

export type DecisionWithVersion = ModelDecision & { candidateVersion: ModelVersion };

export class DecisionRepository {
  constructor(private readonly db: Db) {}

  /** Records the decision atomically (see the file comment); retries when another writer took the version number. */
  async record(d: NewDecision, attempts = 5): Promise<DecisionWithVersion> {
    for (let i = 0; ; i++) {
      try {
        return await this.db.$transaction(async (tx) => {
          const last = await tx.modelVersion.findFirst({ where: { name: d.modelName }, orderBy: { version: "desc" }, select: { version: true } });
          const version = await tx.modelVersion.create({ data: { ...d.version, name: d.modelName, version: (last?.version ?? 0) + 1 } });
          if (d.outcome === "promoted") await tx.promotion.create({ data: { name: d.modelName, modelVersionId: version.id, action: "promote", actor: d.actor ?? "online" } });
          const decision = await tx.modelDecision.create({
            data: {
              modelName: d.modelName,
              batchId: d.batchId,
              candidateVersionId: version.id,
              parentVersionId: d.parentVersionId,
              parentVersion: d.parentVersion,
              batchIds: d.batchIds,
              sessionCount: d.sessionCount,
              outcome: d.outcome,
              reason: d.reason,
              metric: d.metric,
              margin: d.margin,
              candidateMetrics: d.candidateMetrics,
              liveMetrics: d.liveMetrics,
              details: d.details,
            },
          });
          const { count } = await tx.onlineBatch.updateMany({ where: { id: d.batchId, state: "training" }, data: { state: "decided", decidedAt: new Date() } });
          if (count !== 1) {
            const batch = await tx.onlineBatch.findUnique({ where: { id: d.batchId }, select: { state: true } });
            if (!batch) throw new NotFoundError("online batch", d.batchId);
            throw new IllegalTransitionError("online batch", d.batchId, batch.state, "decided");
          }
          return { ...decision, candidateVersion: version };
        });
      } catch (err) {
        // A second decision for the batch is refused by the unique batchId: no retry for that.
        if (!isUniqueViolation(err) || i + 1 >= attempts || (await this.forBatch(d.batchId)) !== null) throw err;
      }
    }
  }

  forBatch(batchId: string): Promise<ModelDecision | null> {
    return this.db.modelDecision.findUnique({ where: { batchId } });
  }

  /** A name's decisions, oldest first, with their candidate versions. */
  list(modelName: string): Promise<DecisionWithVersion[]> {
    return this.db.modelDecision.findMany({ where: { modelName }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], include: { candidateVersion: true } });
  }

  /** The decision that made `versionId`, if the online loop made it. */
  ofVersion(versionId: string): Promise<ModelDecision | null> {
    return this.db.modelDecision.findFirst({ where: { candidateVersionId: versionId } });
  }
}
