import type { Dataset, Prisma } from "../generated/prisma/client.js";
import type { Db } from "../client.js";
import { NotFoundError } from "../errors.js";

export interface NewDataset {
  name: string;
  format: string;
  contentHash: string;
  location: string;
  stats: Prisma.InputJsonValue;
}

export class DatasetRepository {
  constructor(private readonly db: Db) {}

  /** Registers a prepared artifact; the same content hash is the same dataset. */
  register(input: NewDataset): Promise<Dataset> {
    return this.db.dataset.upsert({
      where: { contentHash: input.contentHash },
      create: input,
      update: { location: input.location },
    });
  }

  async get(id: string): Promise<Dataset> {
    const row = await this.db.dataset.findUnique({ where: { id } });
    if (!row) throw new NotFoundError("dataset", id);
    return row;
  }

  byHash(contentHash: string): Promise<Dataset | null> {
    return this.db.dataset.findUnique({ where: { contentHash } });
  }

  list(): Promise<Dataset[]> {
    return this.db.dataset.findMany({ orderBy: { createdAt: "desc" } });
  }
}
