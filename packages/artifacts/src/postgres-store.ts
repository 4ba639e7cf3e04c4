// The default store: blobs as chunked bytea rows in the platform's own
// PostgreSQL (or embedded PGlite), through Prisma. Never more than one chunk
// in memory on either side; a blob is visible only once complete.
import type { ArtifactRepository } from "@drnn/db";
import { ArtifactMissingError } from "./errors.js";
import { sha256, type ArtifactInfo, type ArtifactStore, type PutOptions } from "./store.js";

/** 1 MiB: large enough that per-row overhead is small, small enough to stream. */
export const DEFAULT_CHUNK_BYTES = 1 << 20;

export class PostgresArtifactStore implements ArtifactStore {
  readonly location = "postgres";

  constructor(
    private readonly rows: ArtifactRepository,
    private readonly chunkBytes = DEFAULT_CHUNK_BYTES,
  ) {}

  async put(source: AsyncIterable<Uint8Array>, options: PutOptions): Promise<ArtifactInfo> {
    const upload = await this.rows.begin(options.kind, options.label);
    try {
      const hash = sha256();
      let bytes = 0;
      let index = 0;
      for await (const chunk of rechunk(source, this.chunkBytes)) {
        hash.update(chunk);
        bytes += chunk.length;
        await this.rows.putChunk(upload, index++, chunk);
      }
      return await this.rows.commit(upload, hash.digest("hex"), bytes, index);
    } catch (err) {
      await this.rows.abort(upload).catch(() => undefined);
      throw err;
    }
  }

  async *get(hash: string): AsyncIterable<Uint8Array> {
    const blob = await this.rows.chunksOf(hash);
    if (!blob) throw new ArtifactMissingError(hash, this.location);
    for (let i = 0; i < blob.chunkCount; i++) {
      const data = await this.rows.chunk(blob.id, i);
      // A missing chunk ends the stream early; the reader's hash check reports it.
      if (data === null) return;
      yield data;
    }
  }

  stat(hash: string): Promise<ArtifactInfo | null> {
    return this.rows.stat(hash);
  }

  list(): Promise<ArtifactInfo[]> {
    return this.rows.list();
  }

  delete(hash: string): Promise<boolean> {
    return this.rows.delete(hash);
  }
}

/** Regroups a byte stream into chunks of exactly `size` bytes (the last may be shorter). */
export async function* rechunk(source: AsyncIterable<Uint8Array>, size: number): AsyncIterable<Uint8Array<ArrayBuffer>> {
  let buf = new Uint8Array(size);
  let used = 0;
  for await (const piece of source) {
    let offset = 0;
    while (offset < piece.length) {
      const n = Math.min(size - used, piece.length - offset);
      buf.set(piece.subarray(offset, offset + n), used);
      used += n;
      offset += n;
      if (used === size) {
        yield buf;
        buf = new Uint8Array(size);
        used = 0;
      }
    }
  }
  if (used > 0) yield buf.slice(0, used);
}
