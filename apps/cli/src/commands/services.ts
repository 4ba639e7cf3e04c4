// The long-running nodes: `drnn worker` and `drnn coordinator`. Both need
// DATABASE_URL and REDIS_URL (services mode); they stop cleanly on SIGTERM
// or Ctrl-C, the worker requeueing what it was training.
import type { Command } from "commander";
import { BullmqExecutor, createLogger, startCoordinatorService, startWorkerService } from "@drnn/tuning";
import { createRedis, watchRedis } from "@drnn/queue";
import { action, type CommandContext, type ContextFactory } from "../command.js";
import { UsageError } from "../errors.js";
import { openPlatform, openTrainer } from "../platform.js";
import { reachableRedis } from "../services.js";
import { intOption } from "../options.js";
import { openArtifacts } from "../node-artifacts.js";

function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    process.once("SIGTERM", () => resolve("SIGTERM"));
    process.once("SIGINT", () => resolve("SIGINT"));
  });
}

async function servicesOnly(c: CommandContext, what: string) {
  if (!c.config.DATABASE_URL || !c.config.REDIS_URL) throw new UsageError(`${what} needs DATABASE_URL and REDIS_URL (it serves other nodes through them)`);
  const redisUrl = await reachableRedis(c.config);
  const platform = await openPlatform(c.config, c.out);
  return { platform, queue: { redisUrl, prefix: c.config.DRNN_QUEUE_PREFIX, lockMs: c.config.DRNN_JOB_LOCK_MS } };
}

export function registerServiceCommands(program: Command, ctx: ContextFactory): void {
  program
    .command("worker")
    .description("a fitness worker: pulls jobs from BullMQ and trains candidates until SIGTERM")
    .option("--concurrency <n>", "candidates trained at once (one thread each; on a GPU each has its own WebGPU device on the card; memory is checked before a job starts)", "1")
    .action(
      action<{ concurrency: string }>(ctx, {
        handler: async (c, f) => {
          const concurrency = intOption("--concurrency", f.concurrency, 1);
          const { platform, queue } = await servicesOnly(c, "drnn worker");
          const trainer = await openTrainer(c.config, concurrency, c.out);
          const artifacts = openArtifacts(c.config, platform.repos, c.out);
          const service = await startWorkerService({ repos: platform.repos, queue, trainer, concurrency, artifacts, log: (line) => c.out.progress(line), logger: createLogger("drnn-worker") });
          c.out.progress(`worker ${service.id} ready (${trainer.backend}, ${trainer.device}), concurrency ${concurrency}`);
          const signal = await untilSignal();
          c.out.progress(`${signal}: finishing, requeueing running candidates...`);
          await service.close();
          await trainer.close();
          await platform.close();
          return { workerId: service.id, stoppedBy: signal };
        },
      }),
    );
  program
    .command("coordinator")
    .description("the GA coordinator: runs every queued or orphaned campaign until SIGTERM")
    .action(
      action(ctx, {
        handler: async (c) => {
          const { platform, queue } = await servicesOnly(c, "drnn coordinator");
          const connection = createRedis(queue.redisUrl);
          const unwatch = watchRedis(connection, queue.redisUrl, (line) => c.out.progress(line));
          const executor = new BullmqExecutor(connection, queue);
          const service = startCoordinatorService({
            repos: platform.repos,
            executor,
            leaseMs: c.config.DRNN_LEASE_MS,
            log: (line) => c.out.progress(line),
            logger: createLogger("drnn-coordinator"),
            onOutcome: (id, outcome) => c.out.progress(`campaign ${id}: ${outcome instanceof Error ? `error: ${outcome.message}` : outcome}`),
          });
          c.out.progress(`coordinator ${service.owner} watching for campaigns`);
          const signal = await untilSignal();
          await service.close();
          await executor.close();
          unwatch();
          connection.disconnect();
          await platform.close();
          return { coordinator: service.owner, stoppedBy: signal };
        },
      }),
    );
}
