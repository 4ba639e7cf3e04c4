// `drnn online replay`: the prequential replay of a log in time order, on
// the real path (PostgreSQL store, drnn-retrain queue, a retrain worker, a
// `drnn serve` process). The first share of the purchase sessions (by close
// time) trains and promotes the first version; the rest is stored batch by
// batch as ingest stores closed sessions, cut into batches of M, and each
// batch's job goes on the queue. The worker scores the batch with the live
// model before training on it and with the frozen first version, fine-tunes,
// and promotes or keeps. Latency: from the batch's last session closing
// (its stored closedAt) to the first page view the new version answers.
import type { Command } from "commander";
import { isFormatName } from "@drnn/data";
import { parseChromosome } from "@drnn/contract";
import { selectBackend, FINE_TUNE_DEFAULTS } from "@drnn/model";
import { onlineStatus, startRetrainWorker, trainFirstVersion } from "@drnn/online";
import { createRedis, RetrainQueue } from "@drnn/queue";
import { action, type CommandContext, type ContextFactory, type Result } from "../../command.js";
import { UsageError } from "../../errors.js";
import { intOption, numberOption } from "../../options.js";
import { openPlatform } from "../../platform.js";
import { reachableRedis } from "../../services.js";
import { retrainDeps, retrainSettings, type RetrainFlags } from "./index.js";
import { readReplayLog, type StreamedSession } from "./replay-stream.js";
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

async function waitFor<T>(what: string, check: () => Promise<T | null | undefined>, timeoutMs = 30 * 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== null && v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The serving node's configuration: this command's, as variables. */
function serveEnv(c: CommandContext): Record<string, string> {
  const k = c.config;
  const env: Record<string, string | undefined> = {
    DATABASE_URL: k.DATABASE_URL, REDIS_URL: k.REDIS_URL, DRNN_QUEUE_PREFIX: k.DRNN_QUEUE_PREFIX, DRNN_HOME: k.DRNN_HOME, DRNN_ARTIFACTS_DIR: k.DRNN_ARTIFACTS_DIR, DRNN_BACKEND: k.DRNN_BACKEND,
  };
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

function closedRows(name: string, sessions: readonly StreamedSession[]) {
  return sessions.map((s) => ({ modelName: name, sourceKey: s.key, records: s.records as never, firstEventAt: new Date(s.firstEventAt), lastEventAt: new Date(s.lastEventAt), hasPurchase: true }));
}

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
  const batches = Math.min(Math.floor((log.sessions.length - cut) / m), f.maxBatches === undefined ? Infinity : intOption("--max-batches", f.maxBatches, 1));
  c.out.progress(`${log.records} records, ${log.allSessions} sessions, ${log.sessions.length} purchase sessions with a view before the purchase; first ${first.length} (${(share * 100).toFixed(0)} %) train version 1, then ${batches} batches of ${m}`);
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
  const rows: ReplayBatch[] = [];
  try {
    if (serve !== null) await firstAnswerBy(serve, "probe", v1.version.version);
    for (let b = 0; b < batches; b++) {
      const chunk = log.sessions.slice(cut + b * m, cut + (b + 1) * m);
      await platform.repos.ingest.commit({ source: `replay:${name}`, position: BigInt(cut + (b + 1) * m), closed: closedRows(name, chunk), open: [], removedOpenKeys: [] });
      const [batch] = await platform.repos.onlineBatches.cutReady(name, m);
      if (batch === undefined) throw new Error(`no batch was cut after ${chunk.length} purchase sessions`);
      await queue.enqueue({ batchId: batch.id, modelName: name });
      const decision = await waitFor(`the decision on batch ${batch.seq}`, async () => {
        const state = (await platform.repos.onlineBatches.get(batch.id)).state;
        if (state === "failed") throw new Error(`batch ${batch.seq} failed`);
        return platform.repos.decisions.forBatch(batch.id);
      });
      const closedAt = Math.max(...(await platform.repos.onlineSessions.ofBatch(batch.id)).map((s) => s.closedAt.getTime()));
      const version = (await platform.repos.models.byId(decision.candidateVersionId)).version;
      const page = chunk[chunk.length - 1]?.records.find((r) => r.event === "view")?.page ?? "probe";
      const answeredAt = serve !== null && decision.outcome === "promoted" ? await firstAnswerBy(serve, page, version) : null;
      rows.push({ seq: batch.seq, decidedAt: decision.createdAt.getTime(), closedAt, answeredAt, firstEventAt: chunk[0]?.firstEventAt ?? 0, lastEventAt: chunk[chunk.length - 1]?.lastEventAt ?? 0 });
      c.out.progress(`batch ${batch.seq}/${batches}: ${decision.outcome} (version ${version}); ${answeredAt === null ? "" : `answering ${((answeredAt - closedAt) / 1000).toFixed(1)} s after its last session closed`}`);
    }
  } finally {
    await worker.close();
    await queue.close();
    connection.disconnect();
    await serve?.stop();
  }
  const status = await onlineStatus(platform.repos, name);
  const report = await writeReplayReport(f.out, {
    name, format: f.format, input: f.input, m, share, chromosome, seed, firstEpochs, settings, log, firstSessions: first.length, v1Test: v1.test, batches: rows, status,
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
