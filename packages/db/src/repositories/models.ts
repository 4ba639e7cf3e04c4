// The model registry: versions under a name, and the promotion history that
// says which version serves. The newest promotion row of a name wins, so a
// rollback is one more row, and the history is never rewritten.
import type { ModelVersion, Prisma, Promotion } from "../generated/prisma/client.js";
import type { Db } from "../client.js";
import { NotFoundError } from "../errors.js";
import { isUniqueViolation } from "./prisma-errors.js";

export interface NewModelVersion {
  name: string;
  campaignId?: string;
  candidateId?: string;
  chromosome: Prisma.InputJsonValue;
  fitness: number;
  metrics?: Prisma.InputJsonValue;
  artifact: string;
  /** The version's directory in the artifact store. */
  artifactHash?: string;
}

export class ModelRepository {
  constructor(private readonly db: Db) {}

  /** Adds the next version under `name` (1, 2, ...), retrying if another writer took the number. */
  async addVersion(input: NewModelVersion, attempts = 5): Promise<ModelVersion> {
    for (let i = 0; ; i++) {
      const last = await this.db.modelVersion.findFirst({ where: { name: input.name }, orderBy: { version: "desc" } });
      try {
        return await this.db.modelVersion.create({ data: { ...input, version: (last?.version ?? 0) + 1 } });
      } catch (err) {
        if (!isUniqueViolation(err) || i + 1 >= attempts) throw err;
      }
    }
  }

  async version(name: string, version: number): Promise<ModelVersion> {
    const row = await this.db.modelVersion.findUnique({ where: { name_version: { name, version } } });
    if (!row) throw new NotFoundError("model version", `${name}@${version}`);
    return row;
  }

  async byId(id: string): Promise<ModelVersion> {
    const row = await this.db.modelVersion.findUnique({ where: { id } });
    if (!row) throw new NotFoundError("model version", id);
    return row;
  }

  versions(name: string): Promise<ModelVersion[]> {
    return this.db.modelVersion.findMany({ where: { name }, orderBy: { version: "asc" } });
  }

  promote(modelVersionId: string, name: string, actor?: string): Promise<Promotion> {
    return this.db.promotion.create({ data: { name, modelVersionId, action: "promote", actor: actor ?? null } });
  }

  async rollback(name: string, toVersion: number, actor?: string): Promise<Promotion> {
    const target = await this.version(name, toVersion);
    return this.db.promotion.create({ data: { name, modelVersionId: target.id, action: "rollback", actor: actor ?? null } });
  }

  /** The version serving under `name`, or null before the first promotion. */
  async live(name: string): Promise<ModelVersion | null> {
    const latest = await this.db.promotion.findFirst({
      where: { name },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      include: { modelVersion: true },
    });
    return latest?.modelVersion ?? null;
  }

  history(name: string): Promise<Promotion[]> {
    return this.db.promotion.findMany({ where: { name }, orderBy: { createdAt: "asc" } });
  }
}
