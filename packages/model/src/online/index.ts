export { growModel, leadingBlock, type GrowSizes } from "./grow.js";
export { fineTune, scoreSessions, scoreSpopOnBatch, FINE_TUNE_DEFAULTS, WHOLE_BATCH, type LiveModel, type FineTuneOptions, type FineTuneResult } from "./fine-tune.js";
export { modelVocabulary, vocabulariesFrom } from "./vocabulary.js";
