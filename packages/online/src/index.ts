// @drnn/online: the retrain half of the online loop (paper section II):
// the retraining job on the drnn-retrain queue, guarded promotion with its
// lineage, the status view and the prequential replay.
export { ONLINE_DEFAULTS } from "./settings.js";
export { guard, GUARD_METRIC, type GuardVerdict } from "./guard.js";
export { retrainBatch, closedSessionOf, slim, type RetrainDeps, type RetrainOutcome } from "./retrain.js";
export { startRetrainWorker, reconcileRetrains, type RetrainWorkerOptions, type RetrainWorkerHandle } from "./worker.js";
export { trainFirstVersion, type FirstModelInput, type FirstModelResult } from "./first-model.js";
export { onlineStatus, type OnlineStatus, type DecisionView, type BatchAccuracy, type SlimMetrics } from "./status.js";
