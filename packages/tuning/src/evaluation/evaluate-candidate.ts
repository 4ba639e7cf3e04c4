// One fitness evaluation as a worker runs it, whatever carried the job there
// (BullMQ or the in-process runner). The database is the record: a candidate
// ends with exactly one result however often its job is delivered.
//  - finished already (a re-delivered job)        -> nothing to do
//  - campaign no longer running                   -> candidate cancelled
//  - left "running" by a worker that died         -> requeued, then started again
//  - trainer throws, attempts left                -> requeued, error rethrown (the queue retries)
//  - trainer throws, last attempt                 -> failed with the reason
//  - trainer throws what no retry can fix          -> failed at once, PermanentFailureError thrown
//  - NaN loss / out of memory / never settled     -> completed with fitness 0 and the reason
//  - below the top 1/eta at a pruning rung        -> completed at its rung, stop reason "pruned"
// Database writes ride out a short outage (whileUnavailable): an epoch or a
// result is not thrown away because PostgreSQL restarted.
import { DrnnError, errorCodeOf, isFinished, UNRECOVERABLE_CODES } from "@drnn/contract";
import { whileUnavailable, type Candidate, type Repositories } from "@drnn/db";
import { fitnessJobPayload, type FitnessJobPayload, type FitnessResult } from "@drnn/queue";
import { fitnessOf } from "@drnn/model";
import { reasonOf, type EvaluationMetrics, type Logger } from "@drnn/ops";
import type { EpochDecision, EpochReport, Trainer } from "../trainer.js";
import { RungLadder } from "./pruning.js";
import type { JobArtifacts } from "./job-artifacts.js";

/**
 * Errors that say the candidate itself cannot be trained (its chromosome,
 * the model spec it decodes to, the dataset it names): retrying cannot help.
 * Matched by code (the contract's UNRECOVERABLE_CODES; errors from the
 * training thread keep theirs), and a job payload that does not parse.
 */
export function isPermanentFailure(err: unknown): boolean {
  const code = errorCodeOf(err);
  return (code !== null && UNRECOVERABLE_CODES.has(code)) || (err instanceof Error && err.name === "ZodError");
}

/** Thrown after a candidate was failed for good: the queue must not retry it. */
export class PermanentFailureError extends DrnnError {
  override readonly name = "PermanentFailureError";
  readonly code = "PERMANENT_FAILURE" as const;
  constructor(reason: string) {
    super(reason);
  }
}

export interface WorkerIdentity {
  id: string;
  backend: string;
  device: string;
}

export interface EvaluationDeps {
  repos: Repositories;
  trainer: Trainer;
  worker: WorkerIdentity;
  /** How often the candidate's heartbeat is refreshed and cancellation checked. */
  heartbeatMs?: number;
  /** Stops the evaluation early, e.g. on worker shutdown; the job is requeued. */
  signal?: AbortSignal;
  /** How long a database write waits for PostgreSQL to come back (default 60 s). */
  dbRetryMs?: number;
  /** The artifact store: datasets fetched by hash, trained models pushed. */
  artifacts?: JobArtifacts;
  /** Where failed heartbeats are reported (default: nowhere, for tests); the caller binds the job's ids to it. */
  logger?: Logger;
  /** Evaluations started, ended and failed, epoch times and throughput (default: not recorded). */
  metrics?: EvaluationMetrics;
}

export interface Attempt {
  /** 1-based delivery number of this job. */
  number: number;
  /** True when no retry follows a failure of this attempt. */
  final: boolean;
}

export type EvaluationOutcome =
  | { kind: "completed"; candidate: Candidate; result: FitnessResult }
  | { kind: "failed"; candidate: Candidate }
  | { kind: "cancelled"; candidate: Candidate }
  | { kind: "already-finished"; candidate: Candidate };


/** Watches the campaign and refreshes the heartbeat while training runs. */
function startWatch(deps: EvaluationDeps, payload: FitnessJobPayload, abort: AbortController): () => void {
  // One warning when heartbeats start failing and one line when they work again, not one per tick.
  let failingSince: number | null = null;
  const timer = setInterval(() => {
    void (async () => {
      const alive = await deps.repos.candidates.heartbeat(payload.candidateId);
      if (failingSince !== null) deps.logger?.info({ seconds: (Date.now() - failingSince) / 1000 }, "heartbeat back");
      failingSince = null;
      const campaign = await deps.repos.campaigns.get(payload.campaignId);
      if (!alive || campaign.state !== "running") abort.abort("campaign or candidate no longer running");
    })().catch((err: unknown) => {
      // The next tick tries again; a run of these means the worker is cut off and the coordinator will requeue.
      if (failingSince === null) deps.logger?.warn({ reason: reasonOf(err) }, "heartbeat failed; retrying each tick");
      failingSince ??= Date.now();
    });
  }, deps.heartbeatMs ?? 5000);
  return () => clearInterval(timer);
}

function durable<T>(deps: EvaluationDeps, fn: () => Promise<T>): Promise<T> {
  return whileUnavailable(fn, { maxMs: deps.dbRetryMs ?? 60_000 });
}

async function prepare(payload: FitnessJobPayload, deps: EvaluationDeps): Promise<EvaluationOutcome | null> {
  const { candidate, campaignState } = await deps.repos.candidates.getWithCampaignState(payload.candidateId);
  if (isFinished(candidate.state)) return { kind: "already-finished", candidate };
  if (campaignState !== "running" && campaignState !== "queued") {
    return { kind: "cancelled", candidate: await deps.repos.candidates.cancel(candidate.id, `campaign ${campaignState}`) };
  }
  if (candidate.state === "running") await deps.repos.candidates.requeue(candidate.id, "previous attempt did not finish (worker lost)");
  await deps.repos.candidates.start(candidate.id, { workerId: deps.worker.id, backend: deps.trainer.backend, device: deps.trainer.device });
  return null;
}

async function record(payload: FitnessJobPayload, result: FitnessResult, deps: EvaluationDeps, ladder: RungLadder | null): Promise<EvaluationOutcome> {
  if (result.reason) deps.metrics?.failed(deps.trainer.backend, `zero-fitness:${result.reason}`);
  const artifactHash = result.artifact && deps.artifacts ? await deps.artifacts.keepModel(payload, result) : undefined;
  const candidate = await deps.repos.candidates.complete(payload.candidateId, {
    fitness: result.fitness,
    accuracy: result.accuracy,
    loss: result.loss,
    converged: result.converged,
    epochs: result.epochs,
    trainSeconds: result.trainSeconds,
    error: result.reason,
    stopReason: result.stopReason ?? null,
    bestEpoch: result.bestEpoch ?? null,
    rung: ladder?.reached ?? null,
    ...(result.test ? { testMetrics: result.test as object } : {}),
    ...(result.artifact ? { artifact: result.artifact } : {}),
    ...(artifactHash ? { artifactHash } : {}),
  });
  return { kind: "completed", candidate, result };
}

/** A trainer error: retry through the queue while attempts remain, else fail. */
async function onTrainerError(err: unknown, payload: FitnessJobPayload, deps: EvaluationDeps, attempt: Attempt): Promise<never> {
  const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  const id = payload.candidateId;
  const backend = deps.trainer.backend;
  if (isPermanentFailure(err)) {
    await durable(deps, () => deps.repos.candidates.fail(id, reason));
    deps.metrics?.failed(backend, "permanent");
    deps.metrics?.finished(backend, "failed");
    throw new PermanentFailureError(reason);
  }
  if (attempt.final) await durable(deps, () => deps.repos.candidates.fail(id, reason));
  else await durable(deps, () => deps.repos.candidates.requeue(id, `attempt ${attempt.number} failed: ${reason}`));
  deps.metrics?.failed(backend, attempt.final ? "error-final" : "error-retried");
  deps.metrics?.finished(backend, attempt.final ? "failed" : "retried");
  throw err;
}

async function settleError(err: unknown, payload: FitnessJobPayload, deps: EvaluationDeps, attempt: Attempt, aborted: boolean): Promise<EvaluationOutcome> {
  const id = payload.candidateId;
  // Someone else may have closed the candidate meanwhile (the coordinator cancelling it).
  const current = await durable(deps, () => deps.repos.candidates.get(id));
  if (current.state === "cancelled") return { kind: "cancelled", candidate: current };
  if (isFinished(current.state)) return { kind: "already-finished", candidate: current };
  const campaign = await durable(deps, () => deps.repos.campaigns.get(payload.campaignId));
  if (aborted && campaign.state !== "running") {
    return { kind: "cancelled", candidate: await durable(deps, () => deps.repos.candidates.cancel(id, `campaign ${campaign.state}`)) };
  }
  if (deps.signal?.aborted) {
    // The worker is stopping, not the campaign: the job runs again elsewhere.
    await durable(deps, () => deps.repos.candidates.requeue(id, "worker shut down mid-job"));
    deps.metrics?.failed(deps.trainer.backend, "worker-shutdown");
    deps.metrics?.finished(deps.trainer.backend, "handed-back");
    throw err;
  }
  return onTrainerError(err, payload, deps, attempt);
}

export async function evaluateCandidate(raw: FitnessJobPayload, deps: EvaluationDeps, attempt: Attempt): Promise<EvaluationOutcome> {
  const outcome = await evaluate(raw, deps, attempt);
  deps.metrics?.finished(deps.trainer.backend, outcome.kind);
  return outcome;
}

async function evaluate(raw: FitnessJobPayload, deps: EvaluationDeps, attempt: Attempt): Promise<EvaluationOutcome> {
  const parsed = fitnessJobPayload.safeParse(raw);
  if (!parsed.success) throw new PermanentFailureError(`malformed fitness job: ${parsed.error.message}`);
  const payload = parsed.data;
  const early = await durable(deps, () => prepare(payload, deps));
  if (early) return early;
  deps.metrics?.started(deps.trainer.backend);
  const abort = new AbortController();
  // The worker's signal lives as long as the worker: unhook it after each job.
  const onShutdown = () => abort.abort("worker shutting down");
  deps.signal?.addEventListener("abort", onShutdown, { once: true });
  const stopWatch = startWatch(deps, payload, abort);
  const { pruning, maxEpochs } = payload.training;
  const ladder = pruning === null ? null : new RungLadder(deps.repos.rungs, { campaignId: payload.campaignId, candidateId: payload.candidateId, pruning, maxEpochs });
  let best = Number.NEGATIVE_INFINITY;
  const onEpoch = async (e: EpochReport): Promise<EpochDecision> => {
    const { epoch, trainLoss, valLoss, valAccuracy, seconds, samplesPerSecond } = e;
    deps.metrics?.epoch(deps.trainer.backend, seconds, samplesPerSecond);
    await durable(deps, () => deps.repos.epochs.record(payload.candidateId, { epoch, trainLoss, valLoss, valAccuracy, seconds, ...(samplesPerSecond === undefined ? {} : { samplesPerSec: samplesPerSecond }) }));
    best = Math.max(best, fitnessOf(valAccuracy, valLoss));
    return ladder !== null && (await durable(deps, () => ladder.shouldStop(epoch, best))) ? "stop" : "continue";
  };
  try {
    // The job's path is a hint: on a node without it the dataset comes from the artifact store.
    const local = deps.artifacts ? { ...payload, dataset: { ...payload.dataset, location: await deps.artifacts.datasetOfJob(payload.dataset) } } : payload;
    const result = await deps.trainer.train({ payload: local, signal: abort.signal, onEpoch });
    return await durable(deps, () => record(payload, result, deps, ladder));
  } catch (err) {
    return await settleError(err, payload, deps, attempt, abort.signal.aborted);
  } finally {
    stopWatch();
    deps.signal?.removeEventListener("abort", onShutdown);
  }
}
