// The model registry's write side (DESIGN.md sections 7 and 8): promote a
// campaign's best candidate, roll a name back to an earlier version. A
// version is immutable: its own artifact directory (model, vocabularies,
// serving.json) under <artifactsDir>/models/<name>/, written once before the
// row that points at it. The name's newest promotion row is its `production`
// alias, which servers follow.
import { randomUUID } from "node:crypto";
import { existsSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { z } from "zod";
import { loadDataset, type Dataset } from "@drnn/data";
import type { Candidate, Dataset as DatasetRow, NewModelVersion, Repositories } from "@drnn/db";
import { parseChromosome } from "@drnn/contract";
import { TrainingSettingsSchema } from "@drnn/ga";
import { loadModel, saveModel, scoreSplit, trainModel, vocabulariesOf, type DrnnModel, type RankingMetrics, type Vocabularies } from "@drnn/model";
import { NothingToPromoteError, ServingArtifactError } from "./errors.js";
import { SERVING_FILE, type ServingExtras } from "./serving-model.js";

export const DEFAULT_MODEL_NAME = "drnn";
/** The alias servers follow: the name's newest promotion (promote or rollback). */
export const PRODUCTION_ALIAS = "production";

/** The artifact store as promotion uses it (@drnn/artifacts' NodeArtifacts): recorded paths are only hints. */
export interface PromoteArtifacts {
  datasetDir(d: DatasetRow): Promise<string>;
  modelDir(hash: string | null, hint: string | null, what: string): Promise<string | null>;
  pushModel(dir: string, label: string): Promise<{ hash: string }>;
}

export interface PromoteInput {
  campaignId: string;
  /** Model name (default "drnn"). */
  name?: string;
  /** Who promoted it (user, token name, "cli"). */
  actor?: string;
  /** Root of the artifact store; versions go to <artifactsDir>/models/<name>/<id>. */
  artifactsDir: string;
  /** Progress lines (retraining can take minutes). */
  onProgress?: (line: string) => void;
  /** Fetch the dataset and the candidate's weights by hash, store the new version; unset: local paths only. */
  artifacts?: PromoteArtifacts;
}

/** What a promotion and a rollback both answer: the version the name's alias now points at, and the one before. */
export interface AliasMove {
  name: string;
  alias: string;
  version: number;
  modelVersionId: string;
  previousVersion: number | null;
  fitness: number;
  actor: string | null;
}

export interface PromoteResult extends AliasMove {
  campaignId: string;
  candidateId: string;
  candidateHash: string;
  chromosome: unknown;
  /** "artifact": the campaign's saved weights; "retrained": none were kept, so it was trained again on train+val. */
  origin: "artifact" | "retrained";
  note: string;
  datasetId: string;
  datasetHash: string;
  test: RankingMetrics;
  artifact: string;
  /** The version in the artifact store (null without one). */
  artifactHash: string | null;
}

const trainingSettings = z.object({ training: TrainingSettingsSchema.prefault({}) }).loose();

/** The completed candidate with the highest fitness (> 0); the earliest on ties. */
export function bestCandidate(candidates: readonly Candidate[]): Candidate | null {
  let best: Candidate | null = null;
  for (const c of candidates) {
    if (c.state !== "completed" || c.fitness === null || !(c.fitness > 0)) continue;
    if (best === null || c.fitness > (best.fitness ?? 0)) best = c;
  }
  return best;
}

// eslint-disable-next-line max-lines-per-function -- load or retrain, score, store, promote, in order; to be split with serving's current work (issues 13, 17)
export async function promoteCampaign(repos: Repositories, input: PromoteInput): Promise<PromoteResult> {
  const name = input.name ?? DEFAULT_MODEL_NAME;
  const say = input.onProgress ?? (() => {});
  const campaign = await repos.campaigns.get(input.campaignId);
  const best = bestCandidate(await repos.candidates.listByCampaign(campaign.id));
  if (best === null) throw new NothingToPromoteError(`campaign ${campaign.id} has no completed candidate with fitness > 0 (state ${campaign.state})`);
  const datasetRow = await repos.datasets.get(campaign.datasetId);
  const datasetDir = input.artifacts ? await input.artifacts.datasetDir(datasetRow) : datasetRow.location;
  if (!existsSync(datasetDir)) throw new ServingArtifactError(`dataset ${datasetRow.id} is not at ${datasetRow.location} on this machine`);
  const d = loadDataset(datasetDir);
  const chromosome = parseChromosome(best.chromosome);

  let model: DrnnModel;
  let origin: PromoteResult["origin"];
  let note: string;
  const saved = input.artifacts
    ? await input.artifacts.modelDir(best.artifactHash, best.artifact, `model of candidate ${best.hash.slice(0, 12)}`)
    : best.artifact !== null && existsSync(join(best.artifact, "drnn.json")) ? best.artifact : null;
  if (saved !== null) {
    say(`loading candidate ${best.hash.slice(0, 12)} (fitness ${best.fitness}) from ${saved}`);
    model = (await loadModel(saved)).model;
    origin = "artifact";
    note = `used the weights the campaign saved${best.artifactHash ? ` (artifact ${best.artifactHash.slice(0, 12)})` : ` at ${saved}`}`;
  } else {
    const settings = trainingSettings.parse(campaign.gaSettings ?? {}).training;
    const epochs = settings.maxEpochs;
    say(`candidate ${best.hash.slice(0, 12)} has no saved weights: retraining it on train+validation (at most ${epochs} epochs)`);
    const result = await trainModel(withTrainAndVal(d), chromosome, {
      rule: settings,
      seed: Number(campaign.seed % 2_147_483_647n),
      keepModel: true,
      onEpoch: (e) => say(`epoch ${e.epoch}: train loss ${e.trainLoss.toFixed(4)}, val accuracy ${e.valAccuracy.toFixed(4)}`),
    });
    if (result.model === undefined) throw new ServingArtifactError(`retraining candidate ${best.hash} produced no model (${result.reason}${result.detail ? `: ${result.detail}` : ""})`);
    model = result.model;
    origin = "retrained";
    note = `the campaign kept no weights for this candidate: retrained on train+validation (${result.epochs.length} epochs, ${result.reason})`;
  }

  try {
    say("evaluating on the test split");
    const test = scoreSplit(d, "test", model.ranker(d));
    const { artifact, artifactHash } = await storeVersion(model, {
      artifactsDir: input.artifactsDir,
      name,
      vocabularies: vocabulariesOf(d),
      extras: servingExtras(d),
      dataset: d,
      training: { campaignId: campaign.id, candidateId: best.id, origin },
      label: `model ${name}, campaign ${campaign.id}`,
      ...(input.artifacts ? { artifacts: input.artifacts } : {}),
    });
    const previous = await repos.models.live(name);
    const actor = input.actor ?? null;
    const metrics = {
      test,
      validation: { fitness: best.fitness, accuracy: best.accuracy, loss: best.loss },
      datasetId: datasetRow.id,
      datasetHash: d.manifest.contentHash,
      origin,
      promotedBy: actor,
    };
    const version = await repos.models.addVersion({
      name,
      campaignId: campaign.id,
      candidateId: best.id,
      chromosome: best.chromosome as NewModelVersion["chromosome"],
      fitness: best.fitness ?? 0,
      metrics: metrics as unknown as NewModelVersion["chromosome"],
      artifact,
      ...(artifactHash ? { artifactHash } : {}),
    });
    await repos.models.promote(version.id, name, actor ?? undefined);
    return {
      name,
      alias: PRODUCTION_ALIAS,
      version: version.version,
      modelVersionId: version.id,
      previousVersion: previous?.version ?? null,
      fitness: version.fitness,
      campaignId: campaign.id,
      candidateId: best.id,
      candidateHash: best.hash,
      chromosome: best.chromosome,
      origin,
      note,
      datasetId: datasetRow.id,
      datasetHash: d.manifest.contentHash,
      test,
      actor,
      artifact,
      artifactHash,
    };
  } finally {
    model.dispose();
  }
}

export interface StoreVersionInput {
  artifactsDir: string;
  name: string;
  vocabularies: Vocabularies;
  extras: ServingExtras;
  dataset?: Dataset;
  training: Record<string, unknown>;
  /** What the artifact store calls it. */
  label: string;
  artifacts?: Pick<PromoteArtifacts, "pushModel">;
}

/**
 * A version's immutable directory (<artifactsDir>/models/<name>/<uuid>: the
 * model, its vocabularies, serving.json), written before any row points at
 * it, and pushed to the artifact store when there is one. Every promotion
 * path (a campaign's winner, the online loop's candidates) stores versions so.
 */
export async function storeVersion(model: DrnnModel, o: StoreVersionInput): Promise<{ artifact: string; artifactHash: string | null }> {
  const artifact = resolve(o.artifactsDir, "models", o.name, randomUUID());
  await saveModel(model, artifact, { vocabularies: o.vocabularies, training: o.training, ...(o.dataset ? { dataset: o.dataset } : {}) });
  writeFileSync(join(artifact, SERVING_FILE), JSON.stringify(o.extras));
  const artifactHash = o.artifacts ? (await o.artifacts.pushModel(artifact, o.label)).hash : null;
  return { artifact, artifactHash };
}

export type RollbackResult = AliasMove;

/** Points the name's production alias back at `toVersion` (one more promotion row; history is kept). */
export async function rollbackModel(repos: Repositories, input: { name: string; toVersion: number; actor?: string }): Promise<RollbackResult> {
  const previous = await repos.models.live(input.name);
  const promotion = await repos.models.rollback(input.name, input.toVersion, input.actor);
  const target = await repos.models.version(input.name, input.toVersion);
  return {
    name: input.name,
    alias: PRODUCTION_ALIAS,
    version: target.version,
    modelVersionId: promotion.modelVersionId,
    previousVersion: previous?.version ?? null,
    fitness: target.fitness,
    actor: promotion.actor,
  };
}

/** The dataset with its train split widened to train+val (the splits are consecutive in time). */
export function withTrainAndVal(d: Dataset): Dataset {
  const { train, val } = d.manifest.splits;
  if (train.samples[1] !== val.samples[0] || train.sessions[1] !== val.sessions[0]) return d;
  const widened = { sessions: [train.sessions[0], val.sessions[1]] as [number, number], samples: [train.samples[0], val.samples[1]] as [number, number] };
  return { ...d, manifest: { ...d.manifest, splits: { ...d.manifest.splits, train: widened } } };
}

/** Training popularity and each known user's purchases, for cold start. */
export function servingExtras(d: Dataset, popularDepth = 200): ServingExtras {
  const c = d.columns;
  const n = d.manifest.itemVocabulary;
  const counts = new Float64Array(n);
  const [from, to] = d.manifest.splits.train.sessions;
  let total = 0;
  for (let s = from; s < to; s++) {
    for (let i = c.targetOffsets[s] ?? 0; i < (c.targetOffsets[s + 1] ?? 0); i++) {
      const item = c.targetItems[i] ?? -1;
      if (item < 0 || item >= n) continue;
      counts[item] = (counts[item] ?? 0) + 1;
      total++;
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).filter((i) => (counts[i] ?? 0) > 0);
  order.sort((a, b) => (counts[b] ?? 0) - (counts[a] ?? 0) || a - b);
  const popularity = order.slice(0, popularDepth).map((i): [number, number] => [i, (counts[i] ?? 0) / Math.max(1, total)]);
  const sessions = Array.from({ length: c.sessionUser.length }, (_, s) => s).sort((a, b) => (c.sessionStart[a] ?? 0) - (c.sessionStart[b] ?? 0) || a - b);
  const purchases: Record<string, number[]> = {};
  for (const s of sessions) {
    const user = d.users[c.sessionUser[s] ?? -1];
    if (user === undefined) continue;
    const list = (purchases[user] ??= []);
    for (let i = c.targetOffsets[s] ?? 0; i < (c.targetOffsets[s + 1] ?? 0); i++) {
      const item = c.targetItems[i] ?? -1;
      if (item >= 0 && item < n && !list.includes(item)) list.push(item);
    }
  }
  for (const [user, items] of Object.entries(purchases)) if (items.length === 0) delete purchases[user];
  return { kind: "drnn-serving", datasetHash: d.manifest.contentHash, popularity, purchases };
}
