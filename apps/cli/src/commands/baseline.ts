import type { Command } from "commander";
import { loadDataset, SPLITS, type SplitName } from "@drnn/data";
import { BASELINES, fitBaseline, isBaselineName, scoreSplit } from "@drnn/model";
import { action, type ContextFactory } from "../command.js";
import { UsageError } from "../errors.js";
import { datasetDirFor } from "../datasets.js";

interface BaselineFlags {
  dataset?: string;
  method?: string;
  split?: string;
  seed: string;
}

function parseFlags(o: BaselineFlags): { dataset: string; method: (typeof BASELINES)[number]; split: SplitName; seed: number } {
  if (!o.dataset) throw new UsageError("--dataset is required (a directory written by 'drnn data prepare', a dataset id or hash)");
  if (!o.method || !isBaselineName(o.method)) throw new UsageError(`--method must be one of ${BASELINES.join(", ")}; got ${o.method ?? "nothing"}`);
  const split = (o.split ?? "test") as SplitName;
  if (!SPLITS.includes(split)) throw new UsageError(`--split must be one of ${SPLITS.join(", ")}; got ${o.split}`);
  const seed = Number(o.seed);
  if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer; got ${o.seed}`);
  return { dataset: o.dataset, method: o.method, split, seed };
}

export function registerBaselineCommand(program: Command, ctx: ContextFactory): void {
  program
    .command("baseline")
    .description("fit a baseline on the training split and score it: pop, spop, itemknn, als, als-history")
    .option("--dataset <dir-id-or-hash>", "prepared dataset directory, registered dataset id, or dataset hash")
    .option("--method <m>", BASELINES.join(" | "))
    .option("--split <s>", "split to score: val | test", "test")
    .option("--seed <S>", "seed for methods with random initialisation", "1")
    .action(
      action<BaselineFlags>(ctx, {
        handler: async (c, flags) => {
          const { out } = c;
          const o = parseFlags(flags);
          const started = performance.now();
          const dataset = loadDataset(await datasetDirFor(c, o.dataset));
          out.progress(`fitting ${o.method} on ${dataset.manifest.splits.train.sessions[1] - dataset.manifest.splits.train.sessions[0]} training sessions...`);
          const ranker = fitBaseline(o.method, dataset, { seed: o.seed });
          out.progress(`scoring ${o.split}...`);
          const metrics = scoreSplit(dataset, o.split, ranker);
          return { method: o.method, ...metrics, dataset: dataset.manifest.contentHash, seconds: (performance.now() - started) / 1000 };
        },
        human: (r) => {
          const hit = r["hit"] as Record<string, number>;
          const pct = (x: unknown) => `${((x as number) * 100).toFixed(2)}%`;
          return `${String(r["method"])} on ${String(r["split"])} (${String(r["samples"])} samples, ${String(r["sessions"])} sessions): accuracy ${pct(r["accuracy"])}, hit@5 ${pct(hit["5"])}, hit@10 ${pct(hit["10"])}, hit@20 ${pct(hit["20"])}, MRR@20 ${(r["mrr20"] as number).toFixed(4)}, path compression ${(r["pathCompression"] as number).toFixed(3)}, session accuracy ${pct(r["sessionAccuracy"])}, reachable ${pct(r["reachable"])}`;
        },
      }),
    );
}
