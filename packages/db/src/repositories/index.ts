import type { Db } from "../client.js";
import { ArtifactRepository } from "./artifacts.js";
import { CampaignRepository } from "./campaigns.js";
import { CandidateRepository } from "./candidates.js";
import { DatasetRepository } from "./datasets.js";
import { DecisionRepository } from "./decisions.js";
import { EpochMetricRepository } from "./epochs.js";
import { ModelRepository } from "./models.js";
import { IngestRepository, OnlineBatchRepository, OnlineSessionRepository } from "./online.js";
import { PruningRungRepository } from "./rungs.js";
import { ApiTokenRepository } from "./tokens.js";
import { WorkerRepository } from "./workers.js";

export interface Repositories {
  datasets: DatasetRepository;
  campaigns: CampaignRepository;
  candidates: CandidateRepository;
  epochs: EpochMetricRepository;
  workers: WorkerRepository;
  models: ModelRepository;
  tokens: ApiTokenRepository;
  artifacts: ArtifactRepository;
  rungs: PruningRungRepository;
  ingest: IngestRepository;
  onlineSessions: OnlineSessionRepository;
  onlineBatches: OnlineBatchRepository;
  decisions: DecisionRepository;
}

export function createRepositories(db: Db): Repositories {
  return {
    datasets: new DatasetRepository(db),
    campaigns: new CampaignRepository(db),
    candidates: new CandidateRepository(db),
    epochs: new EpochMetricRepository(db),
    workers: new WorkerRepository(db),
    models: new ModelRepository(db),
    tokens: new ApiTokenRepository(db),
    artifacts: new ArtifactRepository(db),
    rungs: new PruningRungRepository(db),
    ingest: new IngestRepository(db),
    onlineSessions: new OnlineSessionRepository(db),
    onlineBatches: new OnlineBatchRepository(db),
    decisions: new DecisionRepository(db),
  };
}

export { ArtifactRepository, CampaignRepository, CandidateRepository, DatasetRepository, EpochMetricRepository, ModelRepository, ApiTokenRepository, WorkerRepository, PruningRungRepository, IngestRepository, OnlineSessionRepository, OnlineBatchRepository, DecisionRepository };
export type { NewDecision, DecisionWithVersion } from "./decisions.js";
export type { NewCampaign, GenerationStats } from "./campaigns.js";
export type { NewCandidate, StartInfo, Evaluation } from "./candidates.js";
export type { ArtifactRow, ArtifactReferences } from "./artifacts.js";
export type { RungInput } from "./rungs.js";
export type { ClosedSessionInput, OpenSessionInput, IngestCommit, IngestCommitResult, SessionCounts } from "./online.js";
export type { NewDataset } from "./datasets.js";
export type { EpochInput } from "./epochs.js";
export type { NewModelVersion } from "./models.js";
export type { WorkerInfo } from "./workers.js";
export { hashToken } from "./tokens.js";
