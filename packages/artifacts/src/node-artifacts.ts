// What a node does with the store: push a prepared dataset or a trained
// model, and turn a database row into a local directory. A row's path is only
// a hint: it is used when it exists here and holds the right content, and
// otherwise the artifact is fetched by hash into this node's cache.
import { existsSync, readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { loadDataset, registeredStats } from "@drnn/data";
import type { Dataset, Repositories } from "@drnn/db";
import { ArtifactCache } from "./cache.js";
import { ArtifactIntegrityError, ArtifactMissingError, isPermanentArtifactError } from "./errors.js";
import { hashDirectory, packDirectory } from "./pack.js";
import { PostgresArtifactStore } from "./postgres-store.js";
import type { ArtifactInfo, ArtifactStore } from "./store.js";

export interface PushedDataset {
  dataset: Dataset;
  artifact: ArtifactInfo;
  seconds: number;
}

type DatasetRef = Pick<Dataset, "contentHash" | "location" | "artifactHash" | "name">;

function manifestHash(dir: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as { contentHash?: string }).contentHash;
  } catch {
    return undefined;
  }
}

export class NodeArtifacts {
  constructor(
    readonly repos: Repositories,
    readonly store: ArtifactStore,
    readonly cache: ArtifactCache,
  ) {}

  /** Checks a prepared dataset directory, stores it and registers it (the same content: the same dataset). */
  async pushDataset(dir: string, name = basename(resolve(dir))): Promise<PushedDataset> {
    const began = performance.now();
    const at = resolve(dir);
    const m = loadDataset(at, { verify: true }).manifest;
    // Already stored (registered from another directory, pushed twice): no second upload.
    const known = await this.repos.datasets.byHash(m.contentHash);
    const stored = known?.artifactHash ? await this.store.stat(known.artifactHash) : null;
    const artifact = stored ?? (await this.store.put(packDirectory(at), { kind: "dataset", label: name }));
    const dataset = await this.repos.datasets.register({
      name,
      format: m.source.format,
      contentHash: m.contentHash,
      location: at,
      artifactHash: artifact.hash,
      bytes: artifact.bytes,
      stats: registeredStats(m),
    });
    return { dataset, artifact, seconds: (performance.now() - began) / 1000 };
  }

  /** A local directory with the dataset: its recorded path if that holds it here, else the cached copy. */
  async datasetDir(d: DatasetRef): Promise<string> {
    if (existsSync(d.location) && manifestHash(d.location) === d.contentHash) return d.location;
    if (d.artifactHash === null) {
      throw new ArtifactMissingError(d.contentHash, this.store.location, `dataset ${d.name}: never pushed, and not at ${d.location} on this node; run 'drnn data push DIR' where it was prepared`);
    }
    const dir = await this.fetch(d.artifactHash, `dataset ${d.name}`);
    if (manifestHash(dir) !== d.contentHash) throw new ArtifactIntegrityError(d.artifactHash, `it holds dataset ${manifestHash(dir) ?? "(no manifest)"}, not ${d.contentHash}`);
    return dir;
  }

  /** The dataset a job names by its content hash. */
  async datasetOfJob(job: { contentHash: string; location: string }): Promise<string> {
    const row = await this.repos.datasets.byHash(job.contentHash);
    return this.datasetDir(row ?? { ...job, artifactHash: null, name: job.contentHash.slice(0, 12) });
  }

  async pushModel(dir: string, label: string): Promise<ArtifactInfo> {
    return this.store.put(packDirectory(dir), { kind: "model", label });
  }

  /**
   * A trained model worth keeping in the store: one that is at least as good
   * as every candidate its campaign completed so far. The campaign's final
   * best was the best when it finished, so it is always kept; most others are not.
   */
  async keepModel(job: { campaignId: string; hash: string }, result: { fitness: number; artifact?: string }): Promise<string | undefined> {
    if (result.artifact === undefined || !(result.fitness > 0)) return undefined;
    const best = await this.repos.candidates.bestFitness(job.campaignId);
    if (best !== null && result.fitness < best) return undefined;
    return (await this.pushModel(result.artifact, `candidate ${job.hash.slice(0, 12)} of campaign ${job.campaignId}`)).hash;
  }

  /** A local directory with the model: the hint when it holds exactly `hash`, else the cached copy; null when neither exists. */
  async modelDir(hash: string | null, hint: string | null, what: string): Promise<string | null> {
    if (hint !== null && existsSync(join(hint, "drnn.json"))) {
      if (hash === null || (await hashDirectory(hint)).hash === hash) return hint;
    }
    return hash === null ? null : this.fetch(hash, what);
  }

  async fetch(hash: string, what: string): Promise<string> {
    try {
      return await this.cache.fetch(hash, what);
    } catch (err) {
      if (err instanceof ArtifactMissingError) throw new ArtifactMissingError(hash, this.store.location, what);
      throw err;
    }
  }

  isPermanent(err: unknown): boolean {
    return isPermanentArtifactError(err);
  }
}

/** Default bound on a node's cache, MiB (DRNN_ARTIFACTS_CACHE_MB). */
export const DEFAULT_CACHE_MB = 20_480;

export interface NodeArtifactsOptions {
  repos: Repositories;
  /** DRNN_ARTIFACTS_DIR: the cache lives in its `cache/` folder. */
  artifactsDir: string;
  cacheMb?: number;
  log?: (line: string) => void;
}

/** The platform's store (PostgreSQL through `repos`) and this node's cache of it. */
export function openNodeArtifacts(o: NodeArtifactsOptions): NodeArtifacts {
  const store = new PostgresArtifactStore(o.repos.artifacts);
  const cache = new ArtifactCache({ dir: resolve(o.artifactsDir, "cache"), store, maxBytes: (o.cacheMb ?? DEFAULT_CACHE_MB) * 1024 * 1024, ...(o.log ? { log: o.log } : {}) });
  return new NodeArtifacts(o.repos, store, cache);
}
