// The loop's first model: trained from scratch on the oldest sessions (the
// replay's first 30 %), with the vocabulary `data prepare` would build from
// them (growVocabulary from an empty one), then stored and promoted as the
// name's next version like any other.
import { EMPTY_VOCABULARY, growVocabulary, sessionDataset, type ClosedSession, type SplitRatios } from "@drnn/data";
import type { ModelVersion, Repositories } from "@drnn/db";
import { scoreSplit, trainModel, vocabulariesFrom, type BackendInfo, type ChromosomeInput, type EpochReport, type FitnessRuleOptions, type RankingMetrics } from "@drnn/model";
import { servingExtras, storeVersion, type StoreVersionInput } from "@drnn/serving";

export interface FirstModelInput {
  name: string;
  sessions: readonly ClosedSession[];
  chromosome: ChromosomeInput;
  rule: FitnessRuleOptions;
  seed: number;
  artifactsDir: string;
  /** Train / val shares in time order; the rest is its test split. */
  split?: SplitRatios;
  trainSamplesPerEpoch?: number;
  backend?: BackendInfo;
  artifacts?: StoreVersionInput["artifacts"];
  onEpoch?: (e: EpochReport) => void;
}

export interface FirstModelResult {
  version: ModelVersion;
  test: RankingMetrics;
  epochs: number;
  seconds: number;
}

export async function trainFirstVersion(repos: Repositories, o: FirstModelInput): Promise<FirstModelResult> {
  const split = o.split ?? { train: 0.8, val: 0.1 };
  const vocabulary = growVocabulary(EMPTY_VOCABULARY, o.sessions, { split }).vocabulary;
  const window = o.chromosome.w;
  const d = sessionDataset(o.sessions, vocabulary, { window, split });
  const r = await trainModel(d, o.chromosome, {
    rule: o.rule,
    seed: o.seed,
    keepModel: true,
    ...(o.trainSamplesPerEpoch === undefined ? {} : { trainSamplesPerEpoch: o.trainSamplesPerEpoch }),
    ...(o.backend ? { backend: o.backend } : {}),
    ...(o.onEpoch ? { onEpoch: o.onEpoch } : {}),
  });
  if (r.model === undefined) throw new Error(`the first model did not train: ${r.reason}${r.detail ? ` (${r.detail})` : ""}`);
  const model = r.model;
  try {
    const test = scoreSplit(d, "test", model.ranker(d));
    const stored = await storeVersion(model, {
      artifactsDir: o.artifactsDir,
      name: o.name,
      vocabularies: vocabulariesFrom(vocabulary),
      extras: servingExtras(d),
      dataset: d,
      training: { online: true, first: true, sessions: o.sessions.length, epochs: r.epochs.length, reason: r.reason },
      label: `model ${o.name}, the online loop's first version`,
      ...(o.artifacts ? { artifacts: o.artifacts } : {}),
    });
    const version = await repos.models.addVersion({
      name: o.name,
      chromosome: o.chromosome as never,
      fitness: r.fitness,
      metrics: { test, online: { first: true, sessions: o.sessions.length } } as never,
      artifact: stored.artifact,
      ...(stored.artifactHash ? { artifactHash: stored.artifactHash } : {}),
    });
    await repos.models.promote(version.id, o.name, "online");
    return { version, test, epochs: r.epochs.length, seconds: r.seconds };
  } finally {
    model.dispose();
  }
}
