// The retraining job of one batch (the online loop's consumer side). Under
// the model name's lock, so one name never retrains twice at once:
//   queued -> training: fine-tune the live version on the batch's sessions,
//   score the candidate and the live model on the batch's holdout, store the
//   candidate's directory, then record version + promotion (if it passed the
//   guard) + decision + "decided" in one transaction.
// A batch found "training" under the lock was left by a retrain that died:
// it goes back to queued and runs again. A decided batch is skipped. Before
// training, the whole batch is also scored by the live model and by a frozen
// copy of the first model the loop started from (the prequential curves).
import type { ModelVersion, OnlineSession, Repositories, DecisionWithVersion, NamedLock } from "@drnn/db";
import type { ClosedSession, LogRecord } from "@drnn/data";
import { FINE_TUNE_DEFAULTS, fineTune, loadModel, modelVocabulary, scoreSessions, scoreSpopOnBatch, vocabulariesFrom, WHOLE_BATCH, type BackendInfo, type FineTuneOptions, type LiveModel, type RankingMetrics } from "@drnn/model";
import { readExtras, servingExtras, storeVersion, type ServingExtras, type StoreVersionInput } from "@drnn/serving";
import { guard, GUARD_METRIC } from "./guard.js";
import { ONLINE_DEFAULTS } from "./settings.js";

export interface RetrainDeps {
  repos: Repositories;
  artifactsDir: string;
  /** The name's lock (acquireNamedLock on the platform's database). */
  lock(modelName: string): Promise<NamedLock>;
  /** A version's directory on this node. */
  versionDir(v: ModelVersion): Promise<string>;
  margin?: number;
  /** Seeds the fine-tune (with the batch's seq). */
  seed?: number;
  fineTune?: Pick<FineTuneOptions, "rule" | "split" | "trainSamplesPerEpoch">;
  backend?: BackendInfo;
  artifacts?: StoreVersionInput["artifacts"];
  log?: (line: string) => void;
  signal?: AbortSignal;
}

export type RetrainOutcome = { kind: "skipped"; batchId: string; state: string } | { kind: "decided"; batchId: string; decision: DecisionWithVersion };

export function closedSessionOf(row: Pick<OnlineSession, "sourceKey" | "records">): ClosedSession {
  return { key: row.sourceKey, records: row.records as unknown as LogRecord[] };
}

async function loadLive(deps: RetrainDeps, v: ModelVersion): Promise<LiveModel & { dir: string }> {
  const dir = await deps.versionDir(v);
  const { model, vocabularies } = await loadModel(dir);
  if (vocabularies === undefined) {
    model.dispose();
    throw new Error(`${v.name} version ${v.version} has no vocabularies at ${dir}`);
  }
  return { model, vocabulary: modelVocabulary(vocabularies, model.dims), dir };
}

/** The version the loop started from: the parent of the name's first decision, else the live one. */
async function firstVersion(repos: Repositories, modelName: string, live: ModelVersion): Promise<ModelVersion> {
  const first = (await repos.decisions.list(modelName))[0];
  return first?.parentVersionId ? repos.models.byId(first.parentVersionId) : live;
}

export async function retrainBatch(deps: RetrainDeps, job: { batchId: string; modelName: string }): Promise<RetrainOutcome> {
  const say = deps.log ?? (() => undefined);
  const lock = await deps.lock(job.modelName);
  try {
    const batch = await deps.repos.onlineBatches.get(job.batchId);
    if (batch.state === "decided" || batch.state === "failed") {
      say(`batch ${batch.id} (#${batch.seq}) is ${batch.state}: skipped`);
      return { kind: "skipped", batchId: batch.id, state: batch.state };
    }
    if (batch.state === "training") {
      say(`batch ${batch.id} (#${batch.seq}) was left training by a retrain that died: running it again`);
      await deps.repos.onlineBatches.requeue(batch.id);
    }
    await deps.repos.onlineBatches.startTraining(batch.id);
    try {
      const decision = await trainAndDecide(deps, batch.id, batch.seq, job.modelName, say);
      return { kind: "decided", batchId: batch.id, decision };
    } catch (err) {
      // Back to queued, so a retry (or the reconcile pass) can take it again.
      await deps.repos.onlineBatches.requeue(batch.id).catch(() => undefined);
      throw err;
    }
  } finally {
    await lock.release();
  }
}

async function trainAndDecide(deps: RetrainDeps, batchId: string, seq: number, modelName: string, say: (line: string) => void): Promise<DecisionWithVersion> {
  const liveRow = await deps.repos.models.live(modelName);
  if (liveRow === null) throw new Error(`${modelName} has no live version to retrain`);
  const rows = await deps.repos.onlineSessions.ofBatch(batchId);
  const sessions = rows.map(closedSessionOf);
  const live = await loadLive(deps, liveRow);
  const firstRow = await firstVersion(deps.repos, modelName, liveRow);
  const frozen = firstRow.id === liveRow.id ? live : await loadLive(deps, firstRow);
  try {
    say(`batch ${batchId} (#${seq}): ${sessions.length} sessions; scoring with version ${liveRow.version} and the first version ${firstRow.version}`);
    const prequential = { live: scoreSessions(live, sessions, WHOLE_BATCH), frozen: scoreSessions(frozen, sessions, WHOLE_BATCH), spop: scoreSpopOnBatch(live, sessions) };
    say(`batch ${batchId} (#${seq}): training`);
    const began = Date.now();
    const ft = await fineTune(live, sessions, {
      seed: (deps.seed ?? 1) * 1_000_003 + seq,
      ...(deps.fineTune ?? {}),
      ...(deps.backend ? { backend: deps.backend } : {}),
      ...(deps.signal ? { signal: deps.signal } : {}),
      onEpoch: (e) => say(`batch ${batchId} (#${seq}): epoch ${e.epoch} loss ${e.trainLoss.toFixed(4)} val accuracy ${e.valAccuracy.toFixed(4)}`),
    });
    try {
      // A worker shutting down stops the fine-tune: no decision, the batch runs again.
      if (ft.training.reason === "aborted") throw new Error(`retrain of batch ${batchId} stopped: the worker is shutting down`);
      const margin = deps.margin ?? ONLINE_DEFAULTS.margin;
      const scored = ft.training.bestEpoch > 0;
      const verdict = guard(ft.holdout.candidate, ft.holdout.live, margin, { scored, reason: ft.training.reason });
      const parent = await deps.repos.decisions.ofVersion(liveRow.id);
      const batchIds = [...(parent?.batchIds ?? []), batchId];
      const sessionCount = (parent?.sessionCount ?? 0) + sessions.length;
      say(`batch ${batchId} (#${seq}): promoting? ${verdict.outcome} (${verdict.reason}); storing the candidate`);
      const { artifact, artifactHash } = await storeVersion(ft.candidate, {
        artifactsDir: deps.artifactsDir,
        name: modelName,
        vocabularies: vocabulariesFrom(ft.vocabulary),
        extras: candidateExtras(readExtras(live.dir), ft.dataset, ft.growth.itemRemap),
        training: { online: true, batchId, parentVersion: liveRow.version, epochs: ft.training.epochs.length, reason: ft.training.reason },
        label: `model ${modelName}, online batch ${seq}`,
        ...(deps.artifacts ? { artifacts: deps.artifacts } : {}),
      });
      const lastClosedAt = rows.reduce((t, r) => Math.max(t, r.closedAt.getTime()), 0);
      const details = {
        growth: { addedPages: ft.growth.addedPages, addedGeneratorItems: ft.growth.addedGeneratorItems, addedItems: ft.growth.addedItems, pages: ft.vocabulary.pages.length, generatorItems: ft.vocabulary.generatorItems },
        training: { epochs: ft.training.epochs.length, bestEpoch: ft.training.bestEpoch, reason: ft.training.reason, seconds: (Date.now() - began) / 1000, valAccuracy: ft.training.accuracy },
        prequential: { liveVersion: liveRow.version, firstVersion: firstRow.version, live: slim(prequential.live), frozen: slim(prequential.frozen), spop: slim(prequential.spop) },
        batchSeq: seq,
        lastSessionClosedAt: new Date(lastClosedAt).toISOString(),
      };
      const decision = await deps.repos.decisions.record({
        modelName,
        batchId,
        version: { chromosome: ft.candidate.chromosome as never, fitness: ft.training.fitness, metrics: { test: ft.holdout.candidate, online: { batchId, seq } } as never, artifact, ...(artifactHash ? { artifactHash } : {}) },
        parentVersionId: liveRow.id,
        parentVersion: liveRow.version,
        batchIds,
        sessionCount,
        outcome: verdict.outcome,
        reason: verdict.reason,
        metric: GUARD_METRIC,
        margin,
        candidateMetrics: slim(ft.holdout.candidate) as never,
        liveMetrics: slim(ft.holdout.live) as never,
        details: details as never,
      });
      say(`batch ${batchId} (#${seq}): decided: ${decision.outcome} version ${decision.candidateVersion.version}`);
      return decision;
    } finally {
      ft.candidate.dispose();
    }
  } finally {
    live.model.dispose();
    if (frozen !== live) frozen.model.dispose();
  }
}

/** The metrics a decision keeps. */
export function slim(m: RankingMetrics) {
  return { samples: m.samples, sessions: m.sessions, hit1: m.hit[1], hit20: m.hit[20], mrr20: m.mrr20, reachable: m.reachable };
}

/** Cold-start facts of a candidate: what sold in the batch, and every known user's purchases (the parent's, renumbered, then the batch's). */
function candidateExtras(parent: ServingExtras, batch: Parameters<typeof servingExtras>[0], itemRemap: Int32Array): ServingExtras {
  const fresh = servingExtras(batch);
  const purchases: Record<string, number[]> = {};
  for (const [user, items] of Object.entries(parent.purchases)) purchases[user] = items.map((i: number) => itemRemap[i] ?? i);
  for (const [user, items] of Object.entries(fresh.purchases)) purchases[user] = [...new Set([...(purchases[user] ?? []), ...items])];
  const popularity = fresh.popularity.length > 0 ? fresh.popularity : parent.popularity.map(([i, p]): [number, number] => [itemRemap[i] ?? i, p]);
  return { ...fresh, purchases, popularity };
}

export { FINE_TUNE_DEFAULTS };
