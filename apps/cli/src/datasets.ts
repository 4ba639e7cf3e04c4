// The artifact store as commands see it, and what --dataset means
// everywhere: a prepared dataset directory (pushed to the store and
// registered on the fly), a registered dataset id, or a hash (the dataset's
// content hash or its artifact's, in full or a unique prefix).
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { NodeArtifacts } from "@drnn/artifacts";
import type { Dataset } from "@drnn/db";
import type { CommandContext } from "./command.js";
import { UsageError } from "./errors.js";
import { openArtifacts } from "./node-artifacts.js";
import { openPlatform } from "./platform.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function resolveDataset(artifacts: NodeArtifacts, ref: string): Promise<Dataset> {
  if (existsSync(ref)) return (await artifacts.pushDataset(ref)).dataset;
  const repos = artifacts.repos;
  if (UUID.test(ref)) {
    const row = await repos.datasets.get(ref).catch(() => null);
    if (row) return row;
  }
  const byHash = await repos.datasets.byAnyHash(ref);
  if (byHash) return byHash;
  throw new UsageError(`--dataset ${ref}: neither a prepared dataset directory, a registered dataset id, nor the (unique) hash of one`);
}

/** A local directory for --dataset: the directory itself, or the registered dataset fetched by hash. */
export async function localDataset(artifacts: NodeArtifacts, ref: string): Promise<string> {
  if (existsSync(ref)) return resolve(ref);
  return artifacts.datasetDir(await resolveDataset(artifacts, ref));
}

/** --dataset for commands that need files here (baseline, train): a directory as is, else fetched through the store. */
export async function datasetDirFor(ctx: CommandContext, ref: string): Promise<string> {
  if (existsSync(ref)) return resolve(ref);
  const platform = await openPlatform(ctx.config, ctx.out);
  try {
    return await localDataset(openArtifacts(ctx.config, platform.repos, ctx.out), ref);
  } finally {
    await platform.close();
  }
}
