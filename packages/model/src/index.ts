// @drnn/model: chromosome -> model spec -> the paper's DRNN in TF.js; training
// under the fitness rule; backend choice; save/load; metrics and baselines.
// Depends on @drnn/data only.
export * from "./metrics/index.js";
export { BASELINES, COMPARED_BASELINES, baselineMetrics, fitBaseline, isBaselineName, SessionView, fitAls, ALS_DEFAULTS, type BaselineName, type BaselineOptions, type AlsOptions, type ComparedBaseline } from "./baselines/index.js";
export * from "./errors.js";
export * from "./spec.js";
export { selectBackend, parseBackendChoice, BACKEND_CHOICES, type BackendChoice, type BackendInfo } from "./backend.js";
export { probeWebGpu, type GpuAdapterInfo, type GpuLimits, type WebGpuProbe } from "./webgpu.js";
export { DrnnModel, dimsFor, disposeInputs } from "./model.js";
export { deviceMemory, memoryRefusal, trainingFootprint, type DeviceMemory, type TrainingFootprint } from "./memory.js";
export { DrnnLayer, registerDrnnLayers } from "./network/drnn-layer.js";
export { inputLayout, type DrnnInputs, type InputSlot } from "./network/inputs.js";
export { SessionScorer, type SessionRow, type SessionScorerOptions } from "./network/infer-session.js";
export { rankMixture, topOf, type RankedItems, type RowMixture } from "./network/rank-mixture.js";
export { mergeMixture } from "./network/copy.js";
export { rowProducts, type RowProducts, type RowProductsChoice } from "./network/row-products.js";
export { BatchFeeder, copyInputsOf, dwellFeature } from "./feed/batch.js";
export { fitnessOf, FitnessRule, FITNESS_POLICY_NAMES, type FitnessPolicyName, type FitnessRuleOptions, type EpochVerdict, type RuleStop, type ScoredEpoch } from "./train/fitness.js";
export { PAPER_STEP_DECAY, learningRateAt, type StepDecay } from "./train/optimizer.js";
export { evaluate, type Evaluation } from "./train/evaluate.js";
export { trainModel, splitSamples, type TrainOptions, type TrainResult, type EpochReport, type StopReason } from "./train/train.js";
export { saveModel, loadModel, directoryHandler, vocabulariesOf, MODEL_FILES, MODEL_ARTIFACT_VERSION, type ModelMeta, type Vocabularies, type LoadedModel } from "./artifact.js";
export * from "./online/index.js";
