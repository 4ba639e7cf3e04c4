// `drnn ingest [--follow] FILE|-`: a shop's jsonl or CSV access log into the
// online loop. Sessions are cut as they end (the same rules as `data
// prepare`), stored in PostgreSQL with how far the file was read, and every
// M purchase sessions make a retraining batch whose job goes on the queue
// (REDIS_URL). Killed at any moment and started again, it goes on from its
// last commit: every record is counted once. SIGINT/SIGTERM commit and stop.
import { resolve } from "node:path";
import type { Command } from "commander";
import { DataInputError, WrongFormatError, DEFAULT_SESSIONIZER } from "@drnn/data";
import { BatchTrigger, DEFAULT_BATCH_SESSIONS, DEFAULT_COMMIT_LINES, INGEST_FORMATS, IngestService, ingestLog, isIngestFormat, type IngestLogResult, type IngestProgress } from "@drnn/ingest";
import { RetrainQueue, createRedis, watchRedis } from "@drnn/queue";
import { action, type ContextFactory, type Result } from "../command.js";
import { UsageError } from "../errors.js";
import { intOption } from "../options.js";
import { openPlatform } from "../platform.js";
import { reachableRedis } from "../services.js";

interface IngestFlags {
  follow?: boolean;
  format?: string;
  model?: string;
  batchSessions?: string;
  gap?: string;
  commitLines?: string;
}

function formatOf(input: string, flag: string | undefined) {
  const format = flag ?? (/\.csv$/i.test(input) ? "csv" : "jsonl");
  if (!isIngestFormat(format)) throw new UsageError(`--format must be one of ${INGEST_FORMATS.join(", ")}, got "${format}"`);
  return format;
}

function progressLine(p: IngestProgress): string {
  return `line ${p.lines}: ${p.records} records, ${p.badLines} bad lines, ${p.openSessions} open sessions, ${p.storedSessions} stored (${p.storedPurchaseSessions} with a purchase), ${p.batches} batches`;
}

function human(r: Result): string {
  const x = r as unknown as IngestLogResult & { model: string; batchSessions: number; queue: string | null };
  const lines = [
    `${x.input}: read lines ${x.resumedAt.line + 1}..${x.lines} (${x.linesRead} lines, ${x.records} records, ${x.badLines} bad) in ${x.seconds} s; ${x.ended === "end" ? "end of input" : "stopped"}`,
    `sessions stored ${x.storedSessions} (${x.storedPurchaseSessions} with a purchase), still open ${x.openSessions} (${x.openRecords} records), without a page view ${x.droppedGroups} (${x.droppedRecords} records)`,
    `model ${x.model}: ${x.batches} batches of ${x.batchSessions} purchase sessions cut, ${x.jobsEnqueued} retraining jobs queued${x.queue === null ? " (no REDIS_URL: the batches wait)" : ""}`,
  ];
  for (const b of x.bad) lines.push(`  bad line ${b.line}: ${b.reason}`);
  if (x.badLines > x.bad.length) lines.push(`  ... and ${x.badLines - x.bad.length} more bad lines`);
  return lines.join("\n");
}

export function registerIngestCommand(program: Command, ctx: ContextFactory): void {
  program
    .command("ingest <input>")
    .description("read a shop's access log (jsonl or CSV, FILE or - for standard input) into sessions and retraining batches")
    .option("--follow", "keep reading as the file grows (without it: stop at its end and close the open sessions)")
    .option("--format <f>", `${INGEST_FORMATS.join(" | ")} (default: csv for *.csv, else jsonl)`)
    .option("--model <name>", "the live model these sessions retrain (default DRNN_SERVE_MODEL, drnn)")
    .option("--batch-sessions <M>", "purchase sessions per retraining batch", String(DEFAULT_BATCH_SESSIONS))
    .option("--gap <minutes>", "inactivity that ends a session (T)", String(DEFAULT_SESSIONIZER.gapMs / 60_000))
    .option("--commit-lines <n>", "commit at least every n lines", String(DEFAULT_COMMIT_LINES))
    .action(
      action<IngestFlags>(ctx, {
        handler: async (c, f, [input]) => {
          if (!input) throw new UsageError("drnn ingest FILE|-: the log to read is required");
          const format = formatOf(input, f.format);
          const model = f.model ?? c.config.DRNN_SERVE_MODEL;
          const batchSessions = intOption("--batch-sessions", f.batchSessions ?? String(DEFAULT_BATCH_SESSIONS), 1);
          const gapMs = intOption("--gap", f.gap ?? "30", 1) * 60_000;
          const source = input === "-" ? "stdin" : resolve(input);
          const redisUrl = c.config.REDIS_URL ? await reachableRedis(c.config) : null;
          const platform = await openPlatform(c.config, c.out);
          const redis = redisUrl === null ? null : createRedis(redisUrl);
          if (redis && redisUrl) watchRedis(redis, redisUrl, (line) => c.out.progress(line));
          const queue = redis === null ? null : new RetrainQueue(redis, { redisUrl: redisUrl ?? "", prefix: c.config.DRNN_QUEUE_PREFIX });
          if (queue === null) c.out.progress("REDIS_URL is not set: batches are cut and wait, queued, until an ingest or worker with REDIS_URL puts them on the queue");
          const stop = new AbortController();
          const onSignal = () => stop.abort();
          process.once("SIGINT", onSignal);
          process.once("SIGTERM", onSignal);
          try {
            const trigger = new BatchTrigger(platform.repos, { modelName: model, batchSessions, queue, log: (line) => c.out.progress(line) });
            const requeued = await trigger.reconcile();
            if (requeued > 0) c.out.progress(`put ${requeued} queued batch(es) without a job back on the queue`);
            const service = await IngestService.open({ repos: platform.repos, source, modelName: model, trigger, sessionizer: { ...DEFAULT_SESSIONIZER, gapMs }, log: (line) => c.out.progress(line) });
            if (service.resumePosition > 0n && input !== "-") c.out.progress(`resuming ${source} at byte ${service.resumePosition} (line ${service.resumeLines + 1n}) with ${service.openSessions} open sessions`);
            const r = await ingestLog({
              input: input === "-" ? "-" : source,
              format,
              follow: f.follow === true,
              service,
              commitLines: intOption("--commit-lines", f.commitLines ?? String(DEFAULT_COMMIT_LINES), 1),
              signal: stop.signal,
              onBadLine: (b) => c.out.progress(`bad line ${b.line}: ${b.reason}`),
              onProgress: (p) => c.out.progress(progressLine(p)),
            });
            return { ...r, source, model, batchSessions, requeued, queue: queue === null ? null : "redis" };
          } catch (err) {
            if (err instanceof WrongFormatError || err instanceof DataInputError) throw new UsageError(err.message);
            throw err;
          } finally {
            process.off("SIGINT", onSignal);
            process.off("SIGTERM", onSignal);
            await queue?.close();
            redis?.disconnect();
            await platform.close();
          }
        },
        human,
      }),
    );
}
