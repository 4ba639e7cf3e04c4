// The baselines of DESIGN.md section 4, each a Ranker over the same splits
// and metrics as the DRNN.
import type { Dataset, SplitName } from "@drnn/data";
import { scoreSplit, type Ranker, type RankingMetrics } from "../metrics/index.js";
import { alsRanker, type AlsOptions } from "./als.js";
import { itemKnnRanker } from "./item-knn.js";
import { popRanker, spopRanker } from "./popularity.js";
import { SessionView } from "./session-view.js";

export const BASELINES = ["pop", "spop", "itemknn", "als", "als-history"] as const;
export type BaselineName = (typeof BASELINES)[number];

export function isBaselineName(name: string): name is BaselineName {
  return (BASELINES as readonly string[]).includes(name);
}

export interface BaselineOptions {
  /** ALS's initial factors: ALS refuses to run without it, so no run is seeded by accident. */
  seed?: number;
  als?: Partial<AlsOptions>;
}

function alsSeed(o: BaselineOptions): number {
  if (o.seed === undefined) throw new RangeError("ALS draws its initial factors from a seed: pass options.seed");
  return o.seed;
}

/** Fits `method` on the training split of `dataset`. */
export function fitBaseline(method: BaselineName, dataset: Dataset, options: BaselineOptions = {}): Ranker {
  const view = new SessionView(dataset);
  switch (method) {
    case "pop":
      return popRanker(view);
    case "spop":
      return spopRanker(view);
    case "itemknn":
      return itemKnnRanker(view);
    case "als":
      return alsRanker(view, { ...options.als, seed: alsSeed(options), withHistory: false });
    case "als-history":
      return alsRanker(view, { ...options.als, seed: alsSeed(options), withHistory: true });
  }
}

/** The baselines a tuned model is shown beside (DESIGN.md section 4): the yardsticks a user judges tuning by. */
export const COMPARED_BASELINES = ["pop", "spop", "itemknn"] as const satisfies readonly BaselineName[];
export type ComparedBaseline = (typeof COMPARED_BASELINES)[number];

/** Each compared baseline's metrics on `split`, fitted on the training split. */
export function baselineMetrics(dataset: Dataset, split: SplitName = "test"): Record<ComparedBaseline, RankingMetrics> {
  const out = {} as Record<ComparedBaseline, RankingMetrics>;
  for (const m of COMPARED_BASELINES) out[m] = scoreSplit(dataset, split, fitBaseline(m, dataset));
  return out;
}

export { SessionView };
export { fitAls, ALS_DEFAULTS, type AlsOptions } from "./als.js";
