// The artifact store's rows: one Artifact per blob, its bytes as numbered
// chunks. An upload is a row without a hash until its last chunk is in and
// the hash is known; only then does it become visible under that hash, so a
// reader never sees half a blob (a killed upload leaves a hashless row that
// gc removes). The stream logic on top lives in @drnn/artifacts.
import type { Artifact } from "../generated/prisma/client.js";
import type { Db } from "../client.js";
import { isUniqueViolation } from "./prisma-errors.js";

export interface ArtifactRow {
  hash: string;
  kind: string;
  label: string | null;
  bytes: number;
  chunkCount: number;
  createdAt: Date;
}

/** Which rows point at which artifact hashes: what gc must keep. */
export interface ArtifactReferences {
  /** Dataset artifacts of datasets at least one campaign uses. */
  campaignDatasets: Set<string>;
  /** Dataset artifacts of datasets no campaign uses (yet). */
  unusedDatasets: Set<string>;
  /** Trained models a candidate of a campaign points at. */
  candidates: Set<string>;
  /** Model versions in the registry (live aliases point at a subset of these). */
  modelVersions: Set<string>;
}

function toRow(a: Artifact & { hash: string }): ArtifactRow {
  return { hash: a.hash, kind: a.kind, label: a.label, bytes: Number(a.bytes), chunkCount: a.chunkCount, createdAt: a.completedAt ?? a.createdAt };
}

export class ArtifactRepository {
  constructor(private readonly db: Db) {}

  /** Opens an upload; its chunks go under the returned id. */
  async begin(kind: string, label?: string): Promise<string> {
    return (await this.db.artifact.create({ data: { kind, label: label ?? null }, select: { id: true } })).id;
  }

  async putChunk(uploadId: string, index: number, data: Uint8Array<ArrayBuffer>): Promise<void> {
    await this.db.artifactChunk.create({ data: { artifactId: uploadId, index, data } });
  }

  /**
   * Publishes the upload under `hash`. When that hash is already stored (the
   * same bytes pushed before, or by a concurrent upload) the upload is
   * dropped and the existing row returned: content addressing makes them equal.
   */
  async commit(uploadId: string, hash: string, bytes: number, chunkCount: number): Promise<ArtifactRow> {
    const existing = await this.stat(hash);
    if (existing) return (await this.abort(uploadId), existing);
    try {
      const row = await this.db.artifact.update({ where: { id: uploadId }, data: { hash, bytes: BigInt(bytes), chunkCount, completedAt: new Date() } });
      return toRow({ ...row, hash });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      await this.abort(uploadId);
      const winner = await this.stat(hash);
      if (!winner) throw err;
      return winner;
    }
  }

  async abort(uploadId: string): Promise<void> {
    await this.db.artifact.deleteMany({ where: { id: uploadId, hash: null } });
  }

  async stat(hash: string): Promise<ArtifactRow | null> {
    const a = await this.db.artifact.findUnique({ where: { hash } });
    return a?.hash ? toRow({ ...a, hash: a.hash }) : null;
  }

  /** The id whose chunks hold `hash`'s bytes, or null. */
  async chunksOf(hash: string): Promise<{ id: string; chunkCount: number } | null> {
    return this.db.artifact.findUnique({ where: { hash }, select: { id: true, chunkCount: true } });
  }

  /** One chunk, or null when it is missing (a damaged store). */
  async chunk(id: string, index: number): Promise<Uint8Array | null> {
    const c = await this.db.artifactChunk.findUnique({ where: { artifactId_index: { artifactId: id, index } }, select: { data: true } });
    return c?.data ?? null;
  }

  async list(): Promise<ArtifactRow[]> {
    const rows = await this.db.artifact.findMany({ where: { hash: { not: null } }, orderBy: { createdAt: "asc" } });
    return rows.flatMap((a) => (a.hash ? [toRow({ ...a, hash: a.hash })] : []));
  }

  async delete(hash: string): Promise<boolean> {
    return (await this.db.artifact.deleteMany({ where: { hash } })).count > 0;
  }

  /** Removes uploads that never finished and started before `before` (killed pushes). */
  async deleteAbandoned(before: Date): Promise<number> {
    return (await this.db.artifact.deleteMany({ where: { hash: null, createdAt: { lt: before } } })).count;
  }

  async references(): Promise<ArtifactReferences> {
    const [datasets, candidates, versions] = await Promise.all([
      this.db.dataset.findMany({ where: { artifactHash: { not: null } }, select: { artifactHash: true, _count: { select: { campaigns: true } } } }),
      this.db.candidate.findMany({ where: { artifactHash: { not: null } }, select: { artifactHash: true } }),
      this.db.modelVersion.findMany({ where: { artifactHash: { not: null } }, select: { artifactHash: true } }),
    ]);
    const hashes = (rows: { artifactHash: string | null }[]) => new Set(rows.flatMap((r) => (r.artifactHash ? [r.artifactHash] : [])));
    return {
      campaignDatasets: hashes(datasets.filter((d) => d._count.campaigns > 0)),
      unusedDatasets: hashes(datasets.filter((d) => d._count.campaigns === 0)),
      candidates: hashes(candidates),
      modelVersions: hashes(versions),
    };
  }
}
