// `drnn online ...`: the retrain half of the online loop.
//   worker  - consumes the drnn-retrain queue: fine-tune, guard, promote
//   status  - lineage, decisions, per-batch accuracy live vs the frozen first version
//   replay  - the prequential replay of a log in time order (replay.ts)
import type { Command } from "commander";
import { ONLINE_DEFAULTS, onlineStatus, startRetrainWorker } from "@drnn/online";
import { createRedis, watchRedis } from "@drnn/queue";
import { DEFAULT_MODEL_NAME } from "@drnn/serving";
import { selectBackend } from "@drnn/model";
import { action, type ContextFactory } from "../../command.js";
import { UsageError } from "../../errors.js";
import { openPlatform } from "../../platform.js";
import { reachableRedis } from "../../services.js";
import { humanStatus } from "./status-text.js";
import { registerReplayCommand } from "./replay.js";
import { retrainDeps, retrainSettings, type RetrainFlags } from "./retrain-deps.js";
import { longRunning, untilSignal } from "../../operations.js";

function registerWorker(online: Command, ctx: ContextFactory): void {
  online
    .command("worker")
    .description("retrain on each queued batch (drnn-retrain queue): fine-tune the live version, promote it if it is not worse on the batch's holdout")
    .option("--margin <x>", `hit@1 the candidate may fall behind the live model by and still go live (default ${ONLINE_DEFAULTS.margin})`)
    .option("--epochs <n>", "most fine-tuning epochs per batch (default: the model package's FINE_TUNE_DEFAULTS)")
    .option("--train-samples <n>", "training samples per epoch (default: all of the batch's)")
    .action(
      action<RetrainFlags>(ctx, {
        handler: async (c, f) => {
          if (!c.config.DATABASE_URL || !c.config.REDIS_URL) throw new UsageError("drnn online worker needs DATABASE_URL and REDIS_URL");
          const settings = retrainSettings(f);
          // A long-running node: its lines are JSON log lines (pino), outages warnings.
          const run = longRunning(c, "drnn-online-worker");
          const log = (line: string) => run.logger.info(line);
          const redisUrl = await reachableRedis(c.config);
          const platform = await openPlatform(c.config, run.out);
          const backend = await selectBackend(c.config.DRNN_BACKEND);
          const connection = createRedis(redisUrl);
          const unwatch = watchRedis(connection, redisUrl, (line) => run.logger.warn(line));
          const deps = { ...retrainDeps(c, platform.repos, c.config.DATABASE_URL, true), ...settings, backend };
          const handle = await startRetrainWorker({ connection, config: { redisUrl, prefix: c.config.DRNN_QUEUE_PREFIX, lockMs: c.config.DRNN_JOB_LOCK_MS }, deps, log });
          log(`retrain worker ready (TF.js ${backend.backend}), pid ${process.pid}`);
          const signal = await untilSignal();
          log(`${signal}: stopping; a retrain in progress goes back to the queue`);
          await handle.close();
          unwatch();
          connection.disconnect();
          await platform.close();
          return { stoppedBy: signal, reconciled: handle.reconciled };
        },
      }),
    );
}

function registerStatus(online: Command, ctx: ContextFactory): void {
  online
    .command("status")
    .description("the online loop of a model name: versions and their lineage, decisions, per-batch accuracy of the live model against the frozen first version")
    .option("--name <name>", "model name", DEFAULT_MODEL_NAME)
    .action(
      action<{ name: string }>(ctx, {
        handler: async (c, f) => {
          const platform = await openPlatform(c.config, c.out);
          try {
            return { ...(await onlineStatus(platform.repos, f.name)) };
          } finally {
            await platform.close();
          }
        },
        human: humanStatus,
      }),
    );
}

export function registerOnlineCommands(program: Command, ctx: ContextFactory): void {
  const online = program.command("online").description("the online loop's retraining: worker, status, prequential replay");
  registerWorker(online, ctx);
  registerStatus(online, ctx);
  registerReplayCommand(online, ctx);
}
