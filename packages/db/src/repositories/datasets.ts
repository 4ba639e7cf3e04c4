import type { Dataset, Prisma } from "../generated/prisma/client.js";
import type { Db } from "../client.js";
import { NotFoundError } from "../errors.js";

export interface NewDataset {
  name: string;
  format: string;
  contentHash: string;
  location: string;
  stats: Prisma.InputJsonValue;
  /** The packed directory in the artifact store, when it was pushed. */
  artifactHash?: string;
  bytes?: number;
}

export class DatasetRepository {
  constructor(private readonly db: Db) {}

  /** Registers a prepared artifact; the same content hash is the same dataset. */
  register(input: NewDataset): Promise<Dataset> {
    const { bytes, artifactHash, ...rest } = input;
    const stored = artifactHash === undefined ? {} : { artifactHash, bytes: bytes === undefined ? null : BigInt(bytes) };
    return this.db.dataset.upsert({
      where: { contentHash: input.contentHash },
      create: { ...rest, ...stored },
      update: { location: input.location, ...stored },
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

  /**
   * The dataset a hash names: its content hash or its artifact's hash, in
   * full or as a unique prefix of at least 8 hex digits. Null when none or
   * several match.
   */
  async byAnyHash(hash: string): Promise<Dataset | null> {
    const h = hash.toLowerCase();
    if (!/^[0-9a-f]{8,64}$/.test(h)) return null;
    const rows = await this.db.dataset.findMany({
      where: { OR: [{ contentHash: { startsWith: h } }, { artifactHash: { startsWith: h } }] },
      take: 2,
    });
    return rows.length === 1 ? (rows[0] ?? null) : null;
  }

  /** Replaces the dataset's stats (derived figures added later, e.g. the baselines' metrics). */
  setStats(id: string, stats: Prisma.InputJsonValue): Promise<Dataset> {
    return this.db.dataset.update({ where: { id }, data: { stats } });
  }

  list(): Promise<Dataset[]> {
    return this.db.dataset.findMany({ orderBy: { createdAt: "desc" } });
  }
}
