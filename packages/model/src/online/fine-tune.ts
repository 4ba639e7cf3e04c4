// One retraining step of the online loop (paper section II): the live model
// learns from a batch of new sessions. The batch becomes a dataset with the
// samples `data prepare` builds, split in time order: the oldest sessions
// train, the next ones pick the epoch (the fitness rule), the newest are the
// holdout the candidate and the live model are both scored on with the
// ranking metrics (hit@1, MRR@20). Both scorings see the same samples; the
// live model sees the batch through its own vocabulary, where a page it
// never saw is the out-of-vocabulary page and a new item cannot be ranked.
import { Rng } from "@drnn/contract";
import { growVocabulary, sessionDataset, type ClosedSession, type Dataset, type ModelVocabulary, type SplitRatios, type VocabularyGrowth } from "@drnn/data";
import type { BackendInfo } from "../backend.js";
import { fitBaseline } from "../baselines/index.js";
import { scoreSplit, type RankingMetrics } from "../metrics/index.js";
import type { DrnnModel } from "../model.js";
import type { FitnessRuleOptions } from "../train/fitness.js";
import { trainModel, type EpochReport, type TrainResult } from "../train/train.js";
import { growModel } from "./grow.js";

/** The one home of the online loop's training defaults. */
export const FINE_TUNE_DEFAULTS = {
  /** 70 % train, 10 % choose the epoch, the newest 20 % are the holdout. */
  split: { train: 0.7, val: 0.1 } satisfies SplitRatios,
  rule: { policy: "patience", maxEpochs: 3, pi: 0.005, patience: 1, unsettledFitness: 0 } satisfies FitnessRuleOptions,
};

export interface LiveModel {
  model: DrnnModel;
  vocabulary: ModelVocabulary;
}

export interface FineTuneOptions {
  seed: number;
  split?: SplitRatios;
  rule?: FitnessRuleOptions;
  trainSamplesPerEpoch?: number;
  backend?: BackendInfo;
  signal?: AbortSignal;
  onEpoch?: (report: EpochReport) => void;
}

export interface FineTuneResult {
  /** The fine-tuned model (the caller disposes it). */
  candidate: DrnnModel;
  vocabulary: ModelVocabulary;
  growth: Omit<VocabularyGrowth, "vocabulary">;
  /** The batch under the candidate's vocabulary. */
  dataset: Dataset;
  holdout: { candidate: RankingMetrics; live: RankingMetrics };
  training: Omit<TrainResult, "model">;
}

/** A model's metrics on the test split (the holdout) of a batch seen through its own vocabulary. */
export function scoreSessions(live: LiveModel, sessions: readonly ClosedSession[], split: SplitRatios): RankingMetrics {
  const d = sessionDataset(sessions, live.vocabulary, { window: live.model.spec.window, split });
  return scoreSplit(d, "test", live.model.ranker(d));
}

/** Every session of the batch as the test split: how a model does on all of it. */
export const WHOLE_BATCH: SplitRatios = { train: 0, val: 0 };

/**
 * S-POP (the session's own items, most viewed first) on the whole batch, with
 * every page of the batch in its vocabulary: it needs no training, so it is
 * the bar a live model must clear on the same samples.
 */
export function scoreSpopOnBatch(live: LiveModel, sessions: readonly ClosedSession[]): RankingMetrics {
  const { vocabulary } = growVocabulary(live.vocabulary, sessions, { split: WHOLE_BATCH });
  const d = sessionDataset(sessions, vocabulary, { window: live.model.spec.window, split: WHOLE_BATCH });
  return scoreSplit(d, "test", fitBaseline("spop", d));
}

export async function fineTune(live: LiveModel, sessions: readonly ClosedSession[], o: FineTuneOptions): Promise<FineTuneResult> {
  const split = o.split ?? FINE_TUNE_DEFAULTS.split;
  const rng = Rng.fromSeed(o.seed);
  const { vocabulary, ...growth } = growVocabulary(live.vocabulary, sessions, { split });
  const dataset = sessionDataset(sessions, vocabulary, { window: live.model.spec.window, split });
  const candidate = await growModel(live.model, { pages: vocabulary.pages.length, items: vocabulary.generatorItems }, rng.int(0, 0x7fffffff - 1));
  try {
    const { model: _kept, ...training } = await trainModel(dataset, candidate.chromosome, {
      rule: o.rule ?? FINE_TUNE_DEFAULTS.rule,
      seed: rng.int(0, 0x7fffffff - 1),
      start: candidate,
      ...(o.trainSamplesPerEpoch === undefined ? {} : { trainSamplesPerEpoch: o.trainSamplesPerEpoch }),
      ...(o.backend === undefined ? {} : { backend: o.backend }),
      ...(o.signal === undefined ? {} : { signal: o.signal }),
      ...(o.onEpoch === undefined ? {} : { onEpoch: o.onEpoch }),
    });
    const holdout = { candidate: scoreSplit(dataset, "test", candidate.ranker(dataset)), live: scoreSessions(live, sessions, split) };
    return { candidate, vocabulary, growth, dataset, holdout, training };
  } catch (err) {
    candidate.dispose();
    throw err;
  }
}
