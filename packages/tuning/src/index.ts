// @drnn/tuning: campaigns end to end. The coordinator loop, the worker-side
// evaluation, and the executors that carry jobs between them.
export { TrainingAbortedError, type Trainer, type TrainRequest, type EpochReport, type EpochDecision } from "./trainer.js";
export { promotable, RungLadder, MemoryRungStore, type RungCheck, type RungStore } from "./evaluation/pruning.js";
export { bestChromosomes, seedsFor, type WarmStart } from "./coordinator/warm-start.js";
export { SimulatedTrainer, type SimulatedTrainerOptions } from "./trainers/simulated.js";
export { evaluateCandidate, type EvaluationDeps, type EvaluationOutcome, type WorkerIdentity, type Attempt } from "./evaluation/evaluate-candidate.js";
export type { JobArtifacts } from "./evaluation/job-artifacts.js";
export type { FitnessExecutor } from "./executors/executor.js";
export { BullmqExecutor, startFitnessWorker, type FitnessWorkerHandle, type FitnessWorkerOptions, type DrainReport } from "./executors/bullmq.js";
export { InProcessExecutor, type InProcessOptions } from "./executors/in-process.js";
export { runCampaign, candidateSeed, type RunCampaignDeps, type RunOutcome, type CampaignProgress } from "./coordinator/run-campaign.js";
export { launchCampaign, cancelCampaign, campaignStatus, type LaunchInput, type CampaignStatus, type CandidateSummary } from "./coordinator/campaigns.js";
export { datasetBaselines, recordedPath, type Comparison, type DatasetDirectory } from "./coordinator/comparison.js";
export { campaignSettings, trainingSettings, MAX_CAMPAIGN_SECONDS, type CampaignSettings, type CampaignSettingsInput } from "./coordinator/settings.js";
export { DrnnThreadTrainer, type DrnnThreadTrainerOptions } from "./trainers/drnn-thread.js";
export { startWorkerService, newWorkerId, type WorkerService, type WorkerServiceOptions } from "./services/worker-service.js";
export { startCoordinatorService, type CoordinatorService, type CoordinatorServiceOptions } from "./services/coordinator-service.js";
export { runQueueBenchmark, type QueueBenchOptions, type QueueBenchResult, type ScalingPoint } from "./bench/queue-bench.js";
