export { sessionOf, purchaseSessionsInOrder, trainingPeriodEnd, type ClosedSession, type IdLookup } from "./sessions.js";
export { indexOf, type ModelVocabulary } from "./model-vocabulary.js";
export { sessionDataset, MemoryColumn, type SessionDatasetOptions } from "./session-dataset.js";
export { growVocabulary, type VocabularyGrowth, type GrowOptions } from "./grow-vocabulary.js";
