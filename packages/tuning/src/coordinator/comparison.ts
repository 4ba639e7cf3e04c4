// The tuned model beside the baselines on the same split, so a user sees at
// a glance whether tuning paid off (issue: the winner used to lose to S-POP
// and nothing said so). The baselines' metrics are a property of the dataset:
// computed once, where the dataset can be read, and kept in its stats.
import { existsSync } from "node:fs";
import { loadDataset } from "@drnn/data";
import type { Dataset, Repositories } from "@drnn/db";
import { baselineMetrics, type ComparedBaseline, type RankingMetrics } from "@drnn/model";

export interface Comparison {
  split: "test";
  /** The best candidate's test metrics (null until one has them). */
  drnn: RankingMetrics | null;
  /** Null where the dataset cannot be read on this machine and its stats have none yet. */
  baselines: Record<ComparedBaseline, RankingMetrics> | null;
}

/** Where this process can read a dataset: a directory, or null (default: its recorded path when it is here). */
export type DatasetDirectory = (d: Dataset) => Promise<string | null>;

export const recordedPath: DatasetDirectory = (d) => Promise.resolve(existsSync(d.location) ? d.location : null);

function storedBaselines(d: Dataset): Comparison["baselines"] {
  const stats = d.stats as { baselines?: Comparison["baselines"] } | null;
  return stats?.baselines ?? null;
}

export async function datasetBaselines(repos: Repositories, d: Dataset, dir: DatasetDirectory): Promise<Comparison["baselines"]> {
  const known = storedBaselines(d);
  if (known !== null) return known;
  const at = await dir(d);
  if (at === null) return null;
  const baselines = baselineMetrics(loadDataset(at), "test");
  await repos.datasets.setStats(d.id, { ...(d.stats as object), baselines } as object);
  return baselines;
}
