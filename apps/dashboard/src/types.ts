// The API's response shapes as the dashboard reads them (see GET /api/openapi.json).
export type CandidateState = "queued" | "running" | "completed" | "failed" | "cancelled";
export type CampaignState = "queued" | "running" | "completed" | "cancelled" | "failed";

export interface Dataset {
  id: string;
  name: string;
  format: string;
  contentHash: string;
  stats: Record<string, unknown>;
  createdAt: string;
}

export interface Campaign {
  id: string;
  name: string | null;
  datasetId: string;
  strategy: string;
  state: CampaignState;
  seed: string;
  budget: number;
  fitnessPolicy: string;
  pruning: boolean;
  searchSpace: unknown;
  settings: unknown;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface Generation {
  index: number;
  bestFitness: number | null;
  meanFitness: number | null;
  worstFitness: number | null;
  completedAt: string | null;
}

export interface Candidate {
  id: string;
  hash: string;
  chromosome: Record<string, unknown>;
  state: CandidateState;
  attempts: number;
  fitness: number | null;
  accuracy: number | null;
  loss: number | null;
  epochs: number | null;
  /** converged, patience, max-epochs, pruned, unsettled, nan-loss, out-of-memory. */
  stopReason: string | null;
  bestEpoch: number | null;
  /** The highest pruning rung reached, in epochs. */
  rung: number | null;
  backend: string | null;
  device: string | null;
  workerId: string | null;
  error: string | null;
  durationSeconds: number | null;
  queuedAt: string;
  finishedAt: string | null;
}

export interface Epoch {
  candidateId: string;
  epoch: number;
  trainLoss: number;
  valLoss: number;
  valAccuracy: number;
  seconds: number;
}

export interface Worker {
  id: string;
  hostname: string;
  backend: string;
  device: string;
  concurrency: number;
  heartbeatAt: string;
  alive: boolean;
}

export interface CampaignDetail {
  campaign: Campaign;
  dataset: { id: string; name: string };
  generation: number;
  evaluations: number;
  counts: Record<string, number>;
  best: { hash: string; chromosome: unknown; fitness: number; accuracy: number | null } | null;
  generations: Generation[];
}

export interface FieldIssue {
  path: string;
  message: string;
}

export interface ModelVersion {
  id: string;
  name: string;
  version: number;
  campaignId: string | null;
  candidateId: string | null;
  chromosome: unknown;
  fitness: number;
  /** What promotion stored: { test, validation, datasetId, datasetHash, origin, promotedBy } (older rows may lack any of it). */
  metrics: unknown;
  createdAt: string;
}

export interface Promotion {
  id: string;
  name: string;
  modelVersionId: string;
  action: string;
  actor: string | null;
  createdAt: string;
}

export interface ModelDetail {
  name: string;
  live: ModelVersion | null;
  versions: ModelVersion[];
  history: Promotion[];
}
