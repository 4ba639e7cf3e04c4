// The long-running nodes: `drnn worker` and `drnn coordinator`. Both need
// DATABASE_URL and REDIS_URL (services mode); they stop cleanly on SIGTERM
// or Ctrl-C: the worker lets running jobs finish for DRNN_DRAIN_MS and hands
// back the rest, the coordinator releases its campaign leases. Both log
// JSON lines (pino) on stderr and, with --metrics-port, serve Prometheus metrics.
import type { Command } from "commander";
import { BullmqExecutor, startCoordinatorService, startWorkerService } from "@drnn/tuning";
import { CoordinatorMetrics, EvaluationMetrics } from "@drnn/ops";
import { createRedis, watchRedis } from "@drnn/queue";
import { action, type CommandContext, type ContextFactory } from "../command.js";
import { UsageError } from "../errors.js";
import type { Output } from "../output.js";
import { openPlatform, openTrainer } from "../platform.js";
import { reachableRedis } from "../services.js";
import { intOption } from "../options.js";
import { openArtifacts } from "../node-artifacts.js";
import { longRunning, metricsPort, METRICS_PORT_HELP, untilSignal, type MetricsFlags } from "../operations.js";

async function servicesOnly(c: CommandContext, out: Output, what: string) {
  if (!c.config.DATABASE_URL || !c.config.REDIS_URL) throw new UsageError(`${what} needs DATABASE_URL and REDIS_URL (it serves other nodes through them)`);
  const redisUrl = await reachableRedis(c.config);
  const platform = await openPlatform(c.config, out);
  return { platform, queue: { redisUrl, prefix: c.config.DRNN_QUEUE_PREFIX, lockMs: c.config.DRNN_JOB_LOCK_MS } };
}

interface WorkerFlags extends MetricsFlags {
  concurrency: string;
  graceMs?: string;
}

function registerWorker(program: Command, ctx: ContextFactory): void {
  program
    .command("worker")
    .description("a fitness worker: pulls jobs from BullMQ and trains candidates until SIGTERM")
    .option("--concurrency <n>", "candidates trained at once (one thread each; on a GPU each has its own WebGPU device on the card; memory is checked before a job starts)", "1")
    .option("--grace-ms <ms>", "on SIGTERM, how long running jobs may finish before they are handed back to the queue (default DRNN_DRAIN_MS)")
    .option("--metrics-port <port>", METRICS_PORT_HELP)
    .option("--metrics-host <host>", "address of the metrics endpoint", "127.0.0.1")
    .action(
      action<WorkerFlags>(ctx, {
        handler: async (c, f) => {
          const concurrency = intOption("--concurrency", f.concurrency, 1);
          const graceMs = f.graceMs === undefined ? c.config.DRNN_DRAIN_MS : intOption("--grace-ms", f.graceMs, 0);
          const run = longRunning(c, "drnn-worker");
          const { platform, queue } = await servicesOnly(c, run.out, "drnn worker");
          const trainer = await openTrainer(c.config, concurrency, run.out);
          const artifacts = openArtifacts(c.config, platform.repos, run.out);
          const metrics = await metricsPort(f, run);
          const service = await startWorkerService({ repos: platform.repos, queue, trainer, concurrency, artifacts, logger: run.logger, metrics: new EvaluationMetrics(run.registry) });
          const log = run.logger.child({ workerId: service.id });
          log.info({ backend: trainer.backend, device: trainer.device, concurrency, metrics: metrics.url }, `worker ${service.id} ready`);
          const signal = await untilSignal();
          log.info({ signal, graceMs }, `${signal}: draining`);
          const drained = await service.close(graceMs);
          await trainer.close();
          await metrics.close();
          await platform.close();
          return { workerId: service.id, stoppedBy: signal, ...drained };
        },
      }),
    );
}

function registerCoordinator(program: Command, ctx: ContextFactory): void {
  program
    .command("coordinator")
    .description("the GA coordinator: runs every queued or orphaned campaign until SIGTERM")
    .option("--metrics-port <port>", METRICS_PORT_HELP)
    .option("--metrics-host <host>", "address of the metrics endpoint", "127.0.0.1")
    .action(
      action<MetricsFlags>(ctx, {
        handler: async (c, f) => {
          const run = longRunning(c, "drnn-coordinator");
          const { platform, queue } = await servicesOnly(c, run.out, "drnn coordinator");
          const connection = createRedis(queue.redisUrl);
          const unwatch = watchRedis(connection, queue.redisUrl, (line) => run.logger.warn(line));
          const executor = new BullmqExecutor(connection, queue);
          // The queue's job counts, as BullMQ renders them, in each scrape.
          const metrics = await metricsPort(f, run, [() => executor.bullQueue.exportPrometheusMetrics()]);
          const service = startCoordinatorService({
            repos: platform.repos,
            executor,
            leaseMs: c.config.DRNN_LEASE_MS,
            logger: run.logger,
            metrics: new CoordinatorMetrics(run.registry),
            // Ends are logged with the lease's release; an error is worth its own line.
            onOutcome: (id, outcome) => void (outcome instanceof Error && run.logger.error({ campaignId: id, err: outcome }, "campaign run failed")),
          });
          const log = run.logger.child({ coordinator: service.owner });
          log.info({ metrics: metrics.url }, `coordinator ${service.owner} watching for campaigns`);
          const signal = await untilSignal();
          log.info({ signal }, `${signal}: stopping`);
          await service.close();
          await executor.close();
          unwatch();
          connection.disconnect();
          await metrics.close();
          await platform.close();
          return { coordinator: service.owner, stoppedBy: signal };
        },
      }),
    );
}

export function registerServiceCommands(program: Command, ctx: ContextFactory): void {
  registerWorker(program, ctx);
  registerCoordinator(program, ctx);
}
