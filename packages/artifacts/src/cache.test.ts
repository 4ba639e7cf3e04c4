// The node cache against the real PostgreSQL store: verified fetches, a
// damaged entry or blob fetched again or refused, LRU eviction.
import { chmodSync, existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { ArtifactCache } from "./cache.js";
import { ArtifactIntegrityError, ArtifactMissingError } from "./errors.js";
import { packDirectory } from "./pack.js";
import type { ArtifactStore } from "./store.js";
import { openTestStore, randomDir, tempDir } from "./testing.js";

const t = openTestStore(inject("databaseUrl"), 16 * 1024);
afterAll(() => t.db.close());

/** Counts how often the cache goes to the store. */
function counting(store: ArtifactStore): ArtifactStore & { gets: number } {
  const c = Object.create(store) as ArtifactStore & { gets: number };
  c.gets = 0;
  c.get = (hash) => (c.gets++, store.get(hash));
  return c;
}

function cacheOver(store: ArtifactStore, maxBytes = 1 << 30) {
  const lines: string[] = [];
  const cache = new ArtifactCache({ dir: tempDir("cache"), store, maxBytes, log: (l) => lines.push(l) });
  return { cache, lines };
}

async function push(files = 3, bytes = 40_000) {
  const src = randomDir(files, bytes);
  return { src, info: await t.store.put(packDirectory(src), { kind: "dataset", label: "fixture" }) };
}

const same = (a: string, b: string) => readdirSync(a).every((f) => readFileSync(join(a, f)).equals(readFileSync(join(b, f))));

describe("ArtifactCache", () => {
  it("fetches once, then serves the verified copy", async () => {
    const { src, info } = await push();
    const store = counting(t.store);
    const { cache } = cacheOver(store);
    const dir = await cache.fetch(info.hash);
    expect(same(src, dir)).toBe(true);
    expect(await cache.fetch(info.hash)).toBe(dir);
    expect(store.gets).toBe(1);
    expect(readdirSync(join(cache.dir, ".tmp"))).toEqual([]);
  });

  it("two fetches of one hash at once both succeed with one entry", async () => {
    const { src, info } = await push(2, 200_000);
    const { cache } = cacheOver(t.store);
    const [a, b] = await Promise.all([cache.fetch(info.hash), cache.fetch(info.hash)]);
    expect(a).toBe(b);
    expect(same(src, a)).toBe(true);
    expect(readdirSync(cache.dir).filter((n) => !n.startsWith("."))).toEqual([info.hash]);
  });

  it("refuses a damaged cache entry and fetches it again", async () => {
    const { src, info } = await push();
    const store = counting(t.store);
    const { cache, lines } = cacheOver(store);
    const dir = await cache.fetch(info.hash);
    const victim = join(dir, "file-1.bin");
    chmodSync(victim, 0o644);
    writeFileSync(victim, readFileSync(victim).subarray(0, 100));
    const again = await cache.fetch(info.hash);
    expect(lines.join("\n")).toMatch(/damaged \(file-1\.bin has 100 bytes/);
    expect(store.gets).toBe(2);
    expect(same(src, again)).toBe(true);
  });

  it("refuses a truncated blob in the store with an error naming it, and leaves no entry", async () => {
    const { info } = await push(2, 50_000);
    const row = await t.repos.artifacts.chunksOf(info.hash);
    await t.db.prisma.artifactChunk.delete({ where: { artifactId_index: { artifactId: row?.id ?? "", index: (row?.chunkCount ?? 1) - 1 } } });
    const { cache, lines } = cacheOver(t.store);
    const err = await cache.fetch(info.hash, "dataset fixture").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArtifactIntegrityError);
    expect(String(err)).toContain(info.hash);
    expect(lines.join("\n")).toMatch(/fetching it again \(attempt 2 of 2\)/);
    expect(existsSync(join(cache.dir, info.hash))).toBe(false);
    expect(readdirSync(join(cache.dir, ".tmp"))).toEqual([]);
  });

  it("fetches again when the first download is damaged in transit", async () => {
    const { src, info } = await push();
    const flaky = Object.create(t.store) as ArtifactStore;
    let calls = 0;
    flaky.get = async function* (hash) {
      let first = true;
      for await (const chunk of t.store.get(hash)) {
        const c = Buffer.from(chunk);
        if (calls === 0 && first) c[600] = (c[600] ?? 0) ^ 0xff;
        first = false;
        yield c;
      }
      calls++;
    };
    const { cache, lines } = cacheOver(flaky);
    expect(same(src, await cache.fetch(info.hash))).toBe(true);
    expect(lines.join("\n")).toMatch(/hash to [0-9a-f]{64}: fetching it again/);
  });

  it("names a missing artifact", async () => {
    const { cache } = cacheOver(t.store);
    await expect(cache.fetch("f".repeat(64))).rejects.toBeInstanceOf(ArtifactMissingError);
  });

  it("evicts the least recently used entries past its bound", async () => {
    const [a, b, c] = [await push(1, 30_000), await push(1, 30_000), await push(1, 30_000)];
    const { cache } = cacheOver(t.store, 70_000);
    await cache.fetch(a.info.hash);
    await new Promise((r) => setTimeout(r, 20));
    await cache.fetch(b.info.hash);
    await new Promise((r) => setTimeout(r, 20));
    await cache.fetch(a.info.hash); // a is now the most recent
    await new Promise((r) => setTimeout(r, 20));
    await cache.fetch(c.info.hash);
    expect(cache.entries().map((e) => e.hash).sort()).toEqual([a.info.hash, c.info.hash].sort());
  });
});
