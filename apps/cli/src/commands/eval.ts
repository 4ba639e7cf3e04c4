// `drnn eval --replay --dataset DIR (--model NAME[@V] | --artifact DIR)
// [--split test] [--compare]`: a split replayed page by page through the
// serving path (the session store in Redis, the feature row, the scorer, the
// mixture's ranking, cold start), scored with the offline evaluation's
// metrics. --compare also scores the same model offline (DrnnModel.ranker on
// the prepared samples), so the two can be checked against each other.
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import type { Command } from "commander";
import { loadDataset, SPLITS, type SplitName } from "@drnn/data";
import { scoreSplit, selectBackend, type RankingMetrics } from "@drnn/model";
import { createRedis } from "@drnn/queue";
import { ServingModel, SessionStore, replaySplit, type ModelIdentity } from "@drnn/serving";
import { action, type CommandContext, type ContextFactory, type Result } from "../command.js";
import { datasetDirFor } from "../datasets.js";
import { UsageError } from "../errors.js";
import { openArtifacts } from "../node-artifacts.js";
import { viaVariable } from "../services.js";
import { withPlatform } from "./campaign.js";

interface EvalFlags {
  replay?: boolean;
  dataset?: string;
  model?: string;
  artifact?: string;
  split?: string;
  compare?: boolean;
}

/** The replay's keys expire soon after it: nothing serves these sessions again. */
const REPLAY_TTL_MS = 10 * 60_000;

function parseFlags(f: EvalFlags): { dataset: string; split: SplitName; source: { model: string; version?: number } | { artifact: string } } {
  if (f.replay !== true) throw new UsageError("only --replay is implemented: drnn eval --replay --dataset DIR (--model NAME[@V] | --artifact DIR)");
  if (!f.dataset) throw new UsageError("--dataset is required (a directory written by 'drnn data prepare', a dataset id or hash)");
  const split = (f.split ?? "test") as SplitName;
  if (!SPLITS.includes(split)) throw new UsageError(`--split must be one of ${SPLITS.join(", ")}; got ${f.split}`);
  if ((f.model === undefined) === (f.artifact === undefined)) throw new UsageError("give exactly one of --model NAME[@VERSION] and --artifact DIR");
  if (f.artifact !== undefined) {
    if (!existsSync(f.artifact)) throw new UsageError(`--artifact ${f.artifact} does not exist`);
    return { dataset: f.dataset, split, source: { artifact: f.artifact } };
  }
  const [name = "", version] = (f.model ?? "").split("@");
  if (name === "" || (version !== undefined && !/^[1-9][0-9]*$/.test(version))) throw new UsageError(`--model must be NAME or NAME@VERSION; got ${f.model}`);
  return { dataset: f.dataset, split, source: version === undefined ? { model: name } : { model: name, version: Number(version) } };
}

/** The model to replay: a saved artifact directory, or a registry version (the name's production version without @V), fetched by hash where it is not on this node. */
async function openModel(c: CommandContext, source: ReturnType<typeof parseFlags>["source"]): Promise<ServingModel> {
  if ("artifact" in source) return ServingModel.load(source.artifact, { id: source.artifact, name: "artifact", version: 0 });
  return withPlatform(c, async (p) => {
    const row = source.version !== undefined ? await p.repos.models.version(source.model, source.version) : await p.repos.models.live(source.model);
    if (row === null) throw new UsageError(`no version of '${source.model}' is promoted; name one with --model ${source.model}@VERSION`);
    const what = `model ${row.name} version ${row.version}`;
    const dir = await openArtifacts(c.config, p.repos, c.out).modelDir(row.artifactHash, row.artifact, what);
    if (dir === null) throw new UsageError(`${what} was never stored in the artifact store and is not at ${row.artifact} on this node`);
    const identity: ModelIdentity = { id: row.id, name: row.name, version: row.version };
    return ServingModel.load(dir, identity);
  });
}

export function registerEvalCommand(program: Command, ctx: ContextFactory): void {
  program
    .command("eval")
    .description("replay a split page by page through the serving path (session store, scorer) and score it like the offline evaluation")
    .option("--replay", "replay the split's sessions through the serving path")
    .option("--dataset <dir-id-or-hash>", "prepared dataset directory, registered dataset id, or dataset hash")
    .option("--model <name[@version]>", "a registered model (without @version: its production version)")
    .option("--artifact <dir>", "a saved model directory (drnn train --save, or a registry version's)")
    .option("--split <s>", "split to replay: train | val | test", "test")
    .option("--compare", "also score the same model offline on the prepared samples")
    .action(
      action<EvalFlags>(ctx, {
        handler: async (c, flags) => {
          const o = parseFlags(flags);
          const started = performance.now();
          const d = loadDataset(await datasetDirFor(c, o.dataset));
          const backend = await selectBackend(c.config.DRNN_BACKEND);
          const model = await openModel(c, o.source);
          const redis = createRedis(c.config.REDIS_URL ?? "redis://127.0.0.1:6379", { maxRetriesPerRequest: 1 });
          try {
            await viaVariable("REDIS_URL", () => redis.connect());
            const store = new SessionStore(redis, { prefix: `${c.config.DRNN_QUEUE_PREFIX}-replay`, capacity: c.config.DRNN_SESSION_CAPACITY, ttlMs: REPLAY_TTL_MS });
            c.out.progress(`replaying the ${o.split} split (${d.manifest.splits[o.split].sessions[1] - d.manifest.splits[o.split].sessions[0]} sessions) through ${model.forward}...`);
            const replay = await replaySplit(d, model, store, { split: o.split, runId: randomUUID(), onProgress: (l) => c.out.progress(l) });
            const seconds = (performance.now() - started) / 1000;
            let offline: RankingMetrics | undefined;
            if (flags.compare === true) {
              c.out.progress("scoring the same model offline...");
              offline = scoreSplit(d, o.split, model.model.ranker(d));
            }
            return {
              mode: "replay",
              model: model.identity,
              forward: model.forward,
              backend: backend.backend,
              dataset: d.manifest.contentHash,
              ...replay.metrics,
              pageViews: replay.pageViews,
              sources: replay.sources,
              unknownItems: replay.unknownItems,
              seconds,
              ...(offline === undefined ? {} : { offline, hit1Difference: replay.metrics.hit[1] - offline.hit[1] }),
            };
          } finally {
            model.retire();
            redis.disconnect();
          }
        },
        human: (r: Result) => {
          const hit = r["hit"] as Record<string, number>;
          const f = (x: unknown) => (x as number).toFixed(4);
          const off = r["offline"] as { hit: Record<string, number> } | undefined;
          return [
            `replay of ${String(r["split"])} (${String(r["samples"])} samples, ${String(r["sessions"])} sessions, ${String(r["pageViews"])} page views) through ${String(r["forward"])}:`,
            `accuracy ${f(r["accuracy"])}, hit@5 ${f(hit["5"])}, hit@10 ${f(hit["10"])}, hit@20 ${f(hit["20"])}, MRR@20 ${f(r["mrr20"])}, path compression ${f(r["pathCompression"])}, session accuracy ${f(r["sessionAccuracy"])}, reachable ${f(r["reachable"])}`,
            ...(off === undefined ? [] : [`offline hit@1 ${f(off.hit["1"])} (replay - offline: ${f(r["hit1Difference"])})`]),
          ].join("\n");
        },
      }),
    );
}
