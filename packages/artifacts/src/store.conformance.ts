// The contract of an ArtifactStore, run against every implementation (see
// store.test.ts): blobs addressed by sha-256, streamed in and out, the same
// bytes stored once, a failed upload invisible, a missing blob named.
import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ArtifactMissingError } from "./errors.js";
import type { ArtifactStore } from "./store.js";

export interface StoreUnderTest {
  store: ArtifactStore;
  close(): Promise<void>;
}

async function* pieces(data: Uint8Array, size: number): AsyncIterable<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const p of source) parts.push(Buffer.from(p));
  return Buffer.concat(parts);
}

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

/** Call inside a describe; `chunkBytes` is the chunk size the store was opened with (to cross chunk edges). */
export function defineStoreConformance(open: () => Promise<StoreUnderTest>, chunkBytes: number): void {
  let t: StoreUnderTest;
  beforeAll(async () => {
    t = await open();
  });
  afterAll(() => t?.close());

  it("stores a stream under the sha-256 of its bytes and streams it back unchanged", async () => {
    const data = randomBytes(chunkBytes * 3 + 17);
    const info = await t.store.put(pieces(data, 1000), { kind: "dataset", label: "three chunks and a bit" });
    expect(info).toMatchObject({ hash: sha(data), kind: "dataset", label: "three chunks and a bit", bytes: data.length });
    expect((await collect(t.store.get(info.hash))).equals(data)).toBe(true);
    expect(await t.store.stat(info.hash)).toMatchObject({ hash: info.hash, bytes: data.length });
  });

  it("keeps one copy of the same bytes pushed twice, also at the same time", async () => {
    const data = randomBytes(chunkBytes + 5);
    const [a, b] = await Promise.all([t.store.put(pieces(data, 333), { kind: "model" }), t.store.put(pieces(data, chunkBytes), { kind: "model" })]);
    const c = await t.store.put(pieces(data, 7), { kind: "model" });
    expect(new Set([a.hash, b.hash, c.hash])).toEqual(new Set([sha(data)]));
    expect((await t.store.list()).filter((x) => x.hash === a.hash)).toHaveLength(1);
  });

  it("stores an empty blob and an exact multiple of the chunk size", async () => {
    for (const data of [new Uint8Array(0), randomBytes(chunkBytes * 2)]) {
      const info = await t.store.put(pieces(data, 100), { kind: "checkpoint" });
      expect(info.bytes).toBe(data.length);
      expect((await collect(t.store.get(info.hash))).equals(Buffer.from(data))).toBe(true);
    }
  });

  it("leaves nothing visible when the source fails mid-upload", async () => {
    const before = (await t.store.list()).length;
    async function* failing(): AsyncIterable<Uint8Array> {
      yield randomBytes(chunkBytes + 1);
      throw new Error("source broke");
    }
    await expect(t.store.put(failing(), { kind: "dataset" })).rejects.toThrow("source broke");
    expect((await t.store.list()).length).toBe(before);
  });

  it("names a missing blob; stat says null; delete removes and reports", async () => {
    const absent = "0".repeat(64);
    expect(await t.store.stat(absent)).toBeNull();
    await expect(collect(t.store.get(absent))).rejects.toBeInstanceOf(ArtifactMissingError);
    await expect(collect(t.store.get(absent))).rejects.toThrow(absent);
    const info = await t.store.put(pieces(randomBytes(10), 10), { kind: "model" });
    expect(await t.store.delete(info.hash)).toBe(true);
    expect(await t.store.delete(info.hash)).toBe(false);
    expect(await t.store.stat(info.hash)).toBeNull();
    await expect(collect(t.store.get(info.hash))).rejects.toBeInstanceOf(ArtifactMissingError);
  });
}
