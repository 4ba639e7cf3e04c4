// Rows as the API returns them: BigInt seeds as strings, dates as ISO
// strings, nothing internal (lease owners, engine snapshots, token hashes).
// The shapes are the contract's response schemas; the return types make the
// compiler hold each function to its schema.
import type * as api from "@drnn/contract";
import type { ApiToken, Campaign, Candidate, Dataset, EpochMetric, Generation, ModelVersion, Promotion, Worker } from "@drnn/db";

function iso(d: Date): string;
function iso(d: Date | null): string | null;
function iso(d: Date | null): string | null {
  return d ? d.toISOString() : null;
}

type Json = Candidate["chromosome"];
/** A JSON column that holds an object (a chromosome); anything else reads as empty. */
const jsonObject = (v: Json): Record<string, unknown> => (typeof v === "object" && v !== null && !Array.isArray(v) ? v : {});

export function datasetDto(d: Dataset): api.Dataset {
  return {
    id: d.id,
    name: d.name,
    format: d.format,
    contentHash: d.contentHash,
    location: d.location,
    artifactHash: d.artifactHash,
    bytes: d.bytes === null ? null : Number(d.bytes),
    stats: d.stats,
    createdAt: iso(d.createdAt),
  };
}

export function campaignDto(c: Campaign): api.Campaign {
  return {
    id: c.id,
    name: c.name,
    datasetId: c.datasetId,
    strategy: c.strategy,
    state: c.state,
    seed: c.seed.toString(),
    budget: c.budget,
    fitnessPolicy: c.fitnessPolicy,
    pruning: c.pruning,
    searchSpace: c.searchSpace,
    settings: c.gaSettings,
    error: c.error,
    createdAt: iso(c.createdAt),
    startedAt: iso(c.startedAt),
    finishedAt: iso(c.finishedAt),
  };
}

export function generationDto(g: Generation): api.Generation {
  return { index: g.index, bestFitness: g.bestFitness, meanFitness: g.meanFitness, worstFitness: g.worstFitness, createdAt: iso(g.createdAt), completedAt: iso(g.completedAt) };
}

export function candidateDto(c: Candidate): api.Candidate {
  const durationSeconds = c.startedAt && c.finishedAt ? (c.finishedAt.getTime() - c.startedAt.getTime()) / 1000 : null;
  return {
    id: c.id,
    campaignId: c.campaignId,
    hash: c.hash,
    chromosome: jsonObject(c.chromosome),
    state: c.state,
    attempts: c.attempts,
    fitness: c.fitness,
    accuracy: c.accuracy,
    loss: c.loss,
    converged: c.converged,
    epochs: c.epochs,
    stopReason: c.stopReason,
    bestEpoch: c.bestEpoch,
    rung: c.rung,
    backend: c.backend,
    device: c.device,
    workerId: c.workerId,
    error: c.error,
    testMetrics: c.testMetrics,
    trainSeconds: c.trainSeconds,
    durationSeconds,
    queuedAt: iso(c.queuedAt),
    startedAt: iso(c.startedAt),
    finishedAt: iso(c.finishedAt),
  };
}

export function epochDto(e: EpochMetric): api.Epoch {
  return { candidateId: e.candidateId, epoch: e.epoch, trainLoss: e.trainLoss, valLoss: e.valLoss, valAccuracy: e.valAccuracy, seconds: e.seconds, samplesPerSec: e.samplesPerSec, createdAt: iso(e.createdAt) };
}

export function workerDto(w: Worker, now: Date, livenessMs: number): api.Worker {
  return {
    id: w.id,
    hostname: w.hostname,
    backend: w.backend,
    device: w.device,
    concurrency: w.concurrency,
    startedAt: iso(w.startedAt),
    heartbeatAt: iso(w.heartbeatAt),
    alive: w.stoppedAt === null && now.getTime() - w.heartbeatAt.getTime() <= livenessMs,
  };
}

export function modelDto(m: ModelVersion): api.ModelVersion {
  return { id: m.id, name: m.name, version: m.version, campaignId: m.campaignId, candidateId: m.candidateId, chromosome: m.chromosome, fitness: m.fitness, metrics: m.metrics, createdAt: iso(m.createdAt) };
}

export function promotionDto(p: Promotion): api.Promotion {
  return { id: p.id, name: p.name, modelVersionId: p.modelVersionId, action: p.action, actor: p.actor, createdAt: iso(p.createdAt) };
}

export function tokenDto(t: ApiToken): api.Token {
  return { id: t.id, name: t.name, prefix: t.prefix, scopes: t.scopes };
}
