// @drnn/serving: promotion and rollback in the model registry, the session
// state in Redis, the page-view recommender with hot swap, and the Express
// app that serves it (DESIGN.md sections 4, 7 and 8).
export * from "./errors.js";
export { promoteCampaign, rollbackModel, storeVersion, type StoreVersionInput, bestCandidate, servingExtras, withTrainAndVal, DEFAULT_MODEL_NAME, PRODUCTION_ALIAS, type PromoteInput, type PromoteArtifacts, type PromoteResult, type RollbackResult } from "./promote.js";
export { SessionStore, sessionKeys, SESSION_TTL_MS, DEFAULT_SESSION_CAPACITY, type SessionStoreOptions } from "./session-store.js";
export { rowFromViews, rowFromPages, viewIds, heaviest, pageIdOf, type UnknownIds, type PageView, type SessionSnapshot, type FeatureRow, type ServingVocabulary } from "./session-features.js";
export { ServingModel, SERVING_FILE, emptyRow, readExtras, type ServingExtras, type ModelIdentity, type ScoredItem, type ServingForward, type ServingModelOptions } from "./serving-model.js";
export { ModelHolder, AliasFollower, type AliasSource, type FollowerOptions } from "./model-holder.js";
export { replaySplit, type ReplayOptions, type ReplayResult } from "./replay.js";
export { Recommender, recommendBatch, type RecommendRequest, type Recommendation, type RecommendationSource, type RecommenderOptions } from "./recommender.js";
export { createServingApp, pageView, pageViewBody, DEFAULT_TOP_K, MAX_TOP_K, type Answer, type ServingDeps, type PageViewBody } from "./app.js";
export { createServingServer, MAX_BODY_BYTES } from "./server.js";
export { shopEventBody, shopEvent, recordEvent, type EventSink, type ShopEventBody } from "./events.js";
