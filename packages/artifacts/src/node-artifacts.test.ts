// Datasets and models through the store on real PostgreSQL: a node without
// the prepared directory fetches it by hash; gc keeps what campaigns and
// the registry reference and drops the rest after the grace period.
import { randomBytes, randomUUID } from "node:crypto";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { loadDataset, prepareDataset, writeSyntheticLog } from "@drnn/data";
import { ArtifactCache } from "./cache.js";
import { ArtifactMissingError } from "./errors.js";
import { collectGarbage } from "./gc.js";
import { NodeArtifacts } from "./node-artifacts.js";
import { openTestStore, randomDir, tempDir } from "./testing.js";

const t = openTestStore(inject("databaseUrl"));
afterAll(() => t.db.close());
const node = () => new NodeArtifacts(t.repos, t.store, new ArtifactCache({ dir: tempDir("node-cache"), store: t.store, maxBytes: 1 << 30 }));

let prepared: string;
beforeAll(async () => {
  const home = tempDir("node-artifacts");
  // A seed of its own: this dataset's content hash is not shared with other test files.
  await writeSyntheticLog(join(home, "log.jsonl"), { sessions: 150, seed: 9_001 });
  prepared = join(home, "ds");
  await prepareDataset({ format: "jsonl", input: join(home, "log.jsonl"), out: prepared });
}, 60_000);

describe("NodeArtifacts", () => {
  it("pushes a prepared dataset; another node fetches it by hash after the directory is gone", async () => {
    const contentHash = loadDataset(prepared).manifest.contentHash;
    const pushed = await node().pushDataset(prepared, "synthetic-9001");
    expect(pushed.dataset).toMatchObject({ contentHash, artifactHash: pushed.artifact.hash, location: prepared });
    expect(Number(pushed.dataset.bytes)).toBe(pushed.artifact.bytes);
    expect((await node().pushDataset(prepared)).artifact.hash).toBe(pushed.artifact.hash);

    rmSync(prepared, { recursive: true, force: true });
    const other = node();
    const dir = await other.datasetDir(pushed.dataset);
    expect(dir.startsWith(other.cache.dir)).toBe(true);
    expect(loadDataset(dir, { verify: true }).manifest.contentHash).toBe(contentHash);
    expect(await other.datasetOfJob({ contentHash, location: prepared })).toBe(dir);
  });

  it("fails with a reason naming a dataset that was never pushed", async () => {
    const err = await node().datasetDir({ contentHash: "c".repeat(64), location: "/gone", artifactHash: null, name: "lost" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArtifactMissingError);
    expect(String(err)).toMatch(/c{64} \(dataset lost: never pushed, and not at \/gone/);
  });

  it("keeps a campaign's model only while it is the best so far", async () => {
    const n = node();
    const dataset = await t.repos.datasets.register({ name: "x", format: "jsonl", contentHash: randomUUID(), location: "/x", stats: {} });
    const campaign = await t.repos.campaigns.create({ datasetId: dataset.id, strategy: "paper", searchSpace: {}, gaSettings: {}, seed: 1n, budget: 2 });
    const model = randomDir(2, 1000);
    const first = await n.keepModel({ campaignId: campaign.id, hash: "h1" }, { fitness: 0.5, artifact: model });
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    const c = await t.repos.candidates.create({ campaignId: campaign.id, chromosome: {}, hash: "h1" });
    await t.repos.candidates.start(c.id, {});
    await t.repos.candidates.complete(c.id, { fitness: 0.5, accuracy: 0.1, loss: 1, converged: true, epochs: 1, trainSeconds: 1, artifact: model, ...(first ? { artifactHash: first } : {}) });
    expect(await n.keepModel({ campaignId: campaign.id, hash: "h2" }, { fitness: 0.4, artifact: randomDir(1, 10) })).toBeUndefined();
    expect(await n.keepModel({ campaignId: campaign.id, hash: "h3" }, { fitness: 0.6, artifact: randomDir(1, 10) })).toMatch(/^[0-9a-f]{64}$/);
    expect(await n.keepModel({ campaignId: campaign.id, hash: "h4" }, { fitness: 0, artifact: randomDir(1, 10) })).toBeUndefined();
  });

  it("prefers a model directory's local copy only when it holds the hash", async () => {
    const n = node();
    const dir = randomDir(2, 500);
    rmSync(join(dir, "file-0.bin"));
    writeFileSync(join(dir, "drnn.json"), "{}");
    const hash = (await n.pushModel(dir, "m")).hash;
    expect(await n.modelDir(hash, dir, "m")).toBe(dir);
    writeFileSync(join(dir, "drnn.json"), '{"changed":true}');
    expect(await n.modelDir(hash, dir, "m")).not.toBe(dir);
    expect(await n.modelDir(null, "/nowhere", "m")).toBeNull();
  });
});

describe("collectGarbage", () => {
  it("keeps what a campaign, a model version or a live alias references; drops the rest after the grace period", async () => {
    const put = (label: string) => t.store.put(randomDirStream(), { kind: "dataset", label });
    const used = await put("used");
    const unused = await put("unused");
    const version = await put("version");
    const orphan = await put("orphan");
    const fresh = await put("fresh");
    const d1 = await t.repos.datasets.register({ name: "used", format: "jsonl", contentHash: randomUUID(), location: "/a", stats: {}, artifactHash: used.hash, bytes: used.bytes });
    await t.repos.datasets.register({ name: "unused", format: "jsonl", contentHash: randomUUID(), location: "/b", stats: {}, artifactHash: unused.hash, bytes: unused.bytes });
    const campaign = await t.repos.campaigns.create({ datasetId: d1.id, strategy: "paper", searchSpace: {}, gaSettings: {}, seed: 1n, budget: 1 });
    const v = await t.repos.models.addVersion({ name: `gc-${randomUUID()}`, campaignId: campaign.id, chromosome: {}, fitness: 1, artifact: "/m", artifactHash: version.hash });
    await t.repos.models.promote(v.id, v.name);
    const abandoned = await t.repos.artifacts.begin("dataset", "killed push");
    await t.repos.artifacts.putChunk(abandoned, 0, new Uint8Array(10));

    // Age this test's rows by two hours; the other test files' blobs (in the same database) stay fresh and are kept.
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    const mineHashes = [used, unused, version, orphan].map((a) => a.hash);
    await t.db.prisma.artifact.updateMany({ where: { OR: [{ hash: { in: mineHashes } }, { id: abandoned }] }, data: { createdAt: twoHoursAgo, completedAt: twoHoursAgo } });
    const mine = (r: { hash: string }[]) => r.map((x) => x.hash).filter((h) => [...mineHashes, fresh.hash].includes(h));

    const dry = await collectGarbage(t.repos, t.store, { graceMs: 3600_000, dryRun: true });
    expect(mine(dry.deleted).sort()).toEqual([unused.hash, orphan.hash].sort());
    expect(await t.store.stat(orphan.hash)).not.toBeNull();

    const real = await collectGarbage(t.repos, t.store, { graceMs: 3600_000 });
    expect(mine(real.deleted).sort()).toEqual([unused.hash, orphan.hash].sort());
    expect(real.deleted.find((x) => x.hash === unused.hash)?.reason).toBe("dataset no campaign uses");
    expect(real.kept.find((k) => k.hash === used.hash)?.reason).toBe("dataset of a campaign");
    expect(real.kept.find((k) => k.hash === version.hash)?.reason).toBe("model version");
    expect(real.kept.find((k) => k.hash === fresh.hash)?.reason).toMatch(/grace/);
    expect(await t.store.stat(orphan.hash)).toBeNull();
    expect(await t.store.stat(used.hash)).not.toBeNull();
    expect(real.abandonedUploads).toBeGreaterThanOrEqual(1);
    expect(await t.db.prisma.artifact.findUnique({ where: { id: abandoned } })).toBeNull();
  });
});

async function* randomDirStream(): AsyncIterable<Uint8Array> {
  yield randomBytes(2000);
}
