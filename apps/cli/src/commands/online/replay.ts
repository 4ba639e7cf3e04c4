// `drnn online replay`: the prequential replay of a log in time order, on
// the real path (PostgreSQL store, drnn-retrain queue, a retrain worker, a
// `drnn serve` process). The first share of the purchase sessions (by close
// time) trains and promotes the first version; the rest goes
// record by record through ingest in time order, and every M purchase
// sessions ingest cuts a batch and puts its job on the queue. The worker scores the batch with the live
// model before training on it and with the frozen first version, fine-tunes,
// and promotes or keeps. Latency: from the batch's last session closing
// (its stored closedAt) to the first page view the new version answers.
// Ingest is the real one (@drnn/ingest's IngestService: online sessionizer,
// store + cursor in one commit, the M-trigger that cuts batches and enqueues).
import type { Command } from "commander";
import { isFormatName } from "@drnn/data";
import { parseChromosome } from "@drnn/contract";
import { selectBackend, FINE_TUNE_DEFAULTS } from "@drnn/model";
import { onlineStatus, startRetrainWorker, trainFirstVersion } from "@drnn/online";
import { BatchTrigger, IngestService } from "@drnn/ingest";
import { createRedis, RetrainQueue } from "@drnn/queue";
import { action, type CommandContext, type ContextFactory, type Result } from "../../command.js";
import { UsageError } from "../../errors.js";
import { intOption, numberOption } from "../../options.js";
import { openPlatform } from "../../platform.js";
import { reachableRedis } from "../../services.js";
import { retrainDeps, retrainSettings, type RetrainFlags } from "./retrain-deps.js";
import { BatchPace } from "./replay-pace.js";
import { readReplayLog, streamAfter } from "./replay-stream.js";
import { firstAnswerBy, startServe, type ServeNode } from "./replay-serve.js";
import { writeReplayReport, type ReplayBatch } from "./replay-report.js";

export interface ReplayFlags extends RetrainFlags {
  format: string;
  input: string;
  batchSessions: string;
  firstShare: string;
  firstEpochs: string;
  chromosome: string;
  name?: string;
  seed: string;
  maxBatches?: string;
  out: string;
  serve: boolean;
}

/** The tuned YOOCHOOSE chromosome of docs/RESULTS.md, the model a user would deploy. */
const DEFAULT_CHROMOSOME = '{"h":1,"l":3,"w":1,"init":"lecun","loss":"sigmoid","dropout":0.39,"history":true,"neurons":[78,216,127],"pointer":true,"batchSize":33,"fnnLayers":1,"optimizer":"momentum","activation":"relu","fnnNeurons":64,"learningRate":0.116}';

/** The serving node's configuration: this command's, as variables. */
function serveEnv(c: CommandContext): Record<string, string> {
  const k = c.config;
  const env: Record<string, string | undefined> = {
    DATABASE_URL: k.DATABASE_URL, REDIS_URL: k.REDIS_URL, DRNN_QUEUE_PREFIX: k.DRNN_QUEUE_PREFIX, DRNN_HOME: k.DRNN_HOME, DRNN_ARTIFACTS_DIR: k.DRNN_ARTIFACTS_DIR, DRNN_BACKEND: k.DRNN_BACKEND,
  };
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

/** Records per ingest commit (a followed log commits every 2000 lines by default, too). */
const COMMIT_RECORDS = 2000;

async function replay(c: CommandContext, f: ReplayFlags): Promise<Result> {
  if (!isFormatName(f.format)) throw new UsageError(`--format ${f.format} is not a known format`);
  if (!c.config.DATABASE_URL || !c.config.REDIS_URL) throw new UsageError("drnn online replay runs the real path: it needs DATABASE_URL and REDIS_URL");
  const m = intOption("--batch-sessions", f.batchSessions, 10);
  const share = numberOption("--first-share", f.firstShare, 0.01);
  const chromosome = parseChromosome(JSON.parse(f.chromosome));
  const seed = intOption("--seed", f.seed, 0);
  const name = f.name ?? `replay-${Date.now().toString(36)}`;
  const began = Date.now();
  const log = await readReplayLog(f.format, f.input);
  const cut = Math.round(log.sessions.length * share);
  const first = log.sessions.slice(0, cut);
  const cutAt = first[first.length - 1]?.lastEventAt ?? Number.NEGATIVE_INFINITY;
  const maxBatches = f.maxBatches === undefined ? Infinity : intOption("--max-batches", f.maxBatches, 1);
  c.out.progress(`${log.records} records, ${log.allSessions} sessions, ${log.sessions.length} purchase sessions with a view before the purchase; the first ${first.length} (${(share * 100).toFixed(0)} %, closing by ${new Date(cutAt).toISOString()}) train version 1, the rest stream through ingest in batches of ${m}`);
  const redisUrl = await reachableRedis(c.config);
  const platform = await openPlatform(c.config, c.out);
  const backend = await selectBackend(c.config.DRNN_BACKEND);
  const firstEpochs = intOption("--first-epochs", f.firstEpochs, 1);
  const settings = retrainSettings(f);
  const trainSamples = settings.fineTune?.trainSamplesPerEpoch;
  const v1 = await trainFirstVersion(platform.repos, {
    name, sessions: first, chromosome, seed, artifactsDir: c.config.DRNN_ARTIFACTS_DIR, backend,
    rule: { ...FINE_TUNE_DEFAULTS.rule, maxEpochs: firstEpochs, patience: 2 },
    ...(trainSamples === undefined ? {} : { trainSamplesPerEpoch: trainSamples * 4 }),
    onEpoch: (e) => c.out.progress(`version 1: epoch ${e.epoch} loss ${e.trainLoss.toFixed(4)} val accuracy ${e.valAccuracy.toFixed(4)} (${e.seconds.toFixed(1)} s)`),
  });
  c.out.progress(`version 1 of ${name}: ${v1.epochs} epochs in ${v1.seconds.toFixed(0)} s, its own test hit@1 ${v1.test.hit[1].toFixed(3)}`);
  const connection = createRedis(redisUrl);
  const queueConfig = { redisUrl, prefix: c.config.DRNN_QUEUE_PREFIX, lockMs: c.config.DRNN_JOB_LOCK_MS };
  const serve: ServeNode | null = f.serve ? await startServe(name, serveEnv(c)) : null;
  const worker = await startRetrainWorker({ connection, config: queueConfig, deps: { ...retrainDeps(c, platform.repos, c.config.DATABASE_URL, false), ...settings, backend, seed }, log: (line) => c.out.progress(line) });
  const queue = new RetrainQueue(connection, queueConfig);
  const trigger = new BatchTrigger(platform.repos, { modelName: name, batchSessions: m, queue, log: (line) => c.out.progress(line) });
  const ingest = await IngestService.open({ repos: platform.repos, source: `replay:${name}`, modelName: name, trigger, log: (line) => c.out.progress(line) });
  const records = streamAfter(log, cutAt);
  c.out.progress(`streaming ${records.length} records of the sessions closing after version 1's period through ingest`);
  const rows: ReplayBatch[] = [];
  const pace = new BatchPace(platform.repos, name, serve, rows, (line) => c.out.progress(line));
  try {
    if (serve !== null) await firstAnswerBy(serve, "probe", v1.version.version);
    for (let i = 0; i < records.length && rows.length < maxBatches; i += COMMIT_RECORDS) {
      for (const r of records.slice(i, i + COMMIT_RECORDS)) ingest.add(r);
      if (i + COMMIT_RECORDS >= records.length) ingest.closeAll();
      await ingest.commit();
      // A live stream is slower than retraining: each batch is decided (and live) before the stream goes on.
      await pace.settle();
    }
  } finally {
    await worker.close();
    await queue.close();
    connection.disconnect();
    await serve?.stop();
  }
  const status = await onlineStatus(platform.repos, name);
  const report = await writeReplayReport(f.out, {
    name, format: f.format, input: f.input, m, share, chromosome, seed, firstEpochs, settings, log, firstSessions: first.length, v1Test: v1.test, batches: rows, status, ingested: ingest.totals,
    seconds: (Date.now() - began) / 1000, repos: platform.repos,
  });
  await platform.close();
  return { name, batches: rows.length, ...report };
}

export function registerReplayCommand(online: Command, ctx: ContextFactory): void {
  online
    .command("replay")
    .description("prequential replay: train + promote on the first share of a log in time order, then stream the rest in batches of M through the store, queue and retrain worker; writes a table and a plot")
    .requiredOption("--format <format>", "log format (see drnn data prepare)")
    .requiredOption("--input <path>", "the log file or directory")
    .option("--batch-sessions <m>", "M: purchase sessions per retraining batch", "250")
    .option("--first-share <x>", "share of the purchase sessions (oldest first) that trains version 1", "0.3")
    .option("--first-epochs <n>", "most epochs for version 1", "6")
    .option("--epochs <n>", "most fine-tuning epochs per batch")
    .option("--train-samples <n>", "fine-tuning samples per epoch (version 1: four times as many)")
    .option("--margin <x>", "hit@1 a candidate may fall behind the live model by and still go live")
    .option("--chromosome <json>", "the model's genes", DEFAULT_CHROMOSOME)
    .option("--name <name>", "model name (default: a fresh replay-<time> name)")
    .option("--seed <n>", "seed", "1")
    .option("--max-batches <n>", "stop after this many batches")
    .option("--out <dir>", "where the table (ONLINE-REPLAY.md) and plot (online-replay.png) go", "docs")
    .option("--no-serve", "no drnn serve process (no latency figures)")
    .action(action<ReplayFlags>(ctx, { handler: (c, f) => replay(c, f), human: (r) => `wrote ${String(r["table"])} and ${String(r["plot"])}; mean gain ${String(r["meanGainPoints"])} pt of hit@1` }));
}
