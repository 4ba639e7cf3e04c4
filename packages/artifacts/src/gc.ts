// `drnn artifacts gc`: removes blobs nothing needs any more. Kept: a dataset
// a campaign uses, a model a candidate points at (its campaign still
// exists), a model version (every live alias points at one). Anything else
// (a dataset no campaign uses, a model of a deleted campaign, a killed
// upload) goes once it is older than the grace period, so a blob pushed a
// moment ago and not yet referenced survives.
import type { Repositories } from "@drnn/db";
import type { ArtifactInfo, ArtifactStore } from "./store.js";

export interface GcOptions {
  /** Unreferenced blobs younger than this stay. */
  graceMs: number;
  dryRun?: boolean;
  now?: Date;
}

export interface GcResult {
  kept: (ArtifactInfo & { reason: string })[];
  deleted: (ArtifactInfo & { reason: string })[];
  abandonedUploads: number;
  freedBytes: number;
  dryRun: boolean;
}

function keepReason(refs: Awaited<ReturnType<Repositories["artifacts"]["references"]>>, hash: string): string | null {
  if (refs.campaignDatasets.has(hash)) return "dataset of a campaign";
  if (refs.modelVersions.has(hash)) return "model version";
  if (refs.candidates.has(hash)) return "model of a campaign's candidate";
  return null;
}

export async function collectGarbage(repos: Repositories, store: ArtifactStore, o: GcOptions): Promise<GcResult> {
  const now = o.now ?? new Date();
  const cutoff = new Date(now.getTime() - o.graceMs);
  const refs = await repos.artifacts.references();
  const result: GcResult = { kept: [], deleted: [], abandonedUploads: 0, freedBytes: 0, dryRun: o.dryRun === true };
  for (const a of await store.list()) {
    const reason = keepReason(refs, a.hash);
    if (reason !== null) result.kept.push({ ...a, reason });
    else if (a.createdAt > cutoff) result.kept.push({ ...a, reason: "unreferenced, within the grace period" });
    else {
      const why = refs.unusedDatasets.has(a.hash) ? "dataset no campaign uses" : "referenced by nothing";
      if (!result.dryRun) await store.delete(a.hash);
      result.deleted.push({ ...a, reason: why });
      result.freedBytes += a.bytes;
    }
  }
  if (!result.dryRun) result.abandonedUploads = await repos.artifacts.deleteAbandoned(cutoff);
  return result;
}
