// `drnn api --port P`: the REST + SSE API and the built dashboard, with a
// GA coordinator in this process so campaigns launched from the dashboard
// run. Embedded mode (no DATABASE_URL): PGlite, and fitness jobs trained in
// this process's threads. Services mode: PostgreSQL, and with REDIS_URL the
// jobs go to BullMQ for `drnn worker` processes. Also serves /healthz,
// /readyz, /metrics and (with REDIS_URL) the queue view at /admin/queues.
// Logs JSON lines on stderr; stops gracefully on SIGTERM / Ctrl-C.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { databaseReadiness } from "@drnn/db";
import { QUEUE_BOARD_PATH, startApiServer, type ApiDeps } from "@drnn/http-api";
import { CoordinatorMetrics, type MetricsSource } from "@drnn/ops";
import { checkRedis, createQueueBoard, createRedis, openPlatformQueues, watchRedis } from "@drnn/queue";
import { promoteCampaign, rollbackModel } from "@drnn/serving";
import { openArtifacts } from "../node-artifacts.js";
import { startCoordinatorService } from "@drnn/tuning";
import { action, type CommandContext, type ContextFactory } from "../command.js";
import { openExecutor, openPlatform, type Platform } from "../platform.js";
import { intOption } from "../options.js";
import { longRunning, untilSignal, type LongRunning } from "../operations.js";

type Redis = ReturnType<typeof createRedis>;

interface ApiFlags {
  port: string;
  host: string;
  openReads?: boolean;
  dashboard: string;
  threads: string;
  coordinator: boolean;
}

interface Operations {
  coordinator?: { owner: string; executor: string };
  ops: Pick<ApiDeps, "metrics" | "readiness" | "queueBoard">;
}

/** The coordinator (unless --no-coordinator) and what /readyz, /metrics and the queue view read. */
async function openOperations(c: CommandContext, f: ApiFlags, platform: Platform, run: LongRunning, closers: (() => Promise<void>)[]): Promise<Operations> {
  const sources: MetricsSource[] = [];
  const readiness: NonNullable<ApiDeps["readiness"]> = c.config.DATABASE_URL ? databaseReadiness(c.config.DATABASE_URL) : { database: async () => void (await platform.db.prisma.$queryRawUnsafe("SELECT 1")) };
  const ops: Operations["ops"] = { metrics: { registry: run.registry, sources }, readiness };
  const redisUrl = c.config.REDIS_URL;
  let connection: Redis | undefined;
  if (redisUrl) {
    // One connection, watched once (one warning per outage): the queue view and counts, and the coordinator's jobs.
    connection = createRedis(redisUrl);
    const unwatch = watchRedis(connection, redisUrl, (line) => run.logger.warn(line));
    const queues = openPlatformQueues(connection, { redisUrl, prefix: c.config.DRNN_QUEUE_PREFIX });
    readiness["redis"] = () => checkRedis(redisUrl, 2000);
    sources.push(...queues.metrics);
    ops.queueBoard = createQueueBoard(queues.queues, QUEUE_BOARD_PATH);
    const owned = connection;
    closers.unshift(async () => (await queues.close(), unwatch(), owned.disconnect()));
  }
  if (!f.coordinator) return { ops };
  const ex = await openExecutor(c.config, platform, run.out, intOption("--threads", f.threads, 1), connection);
  const service = startCoordinatorService({ repos: platform.repos, executor: ex.executor, leaseMs: c.config.DRNN_LEASE_MS, logger: run.logger, metrics: new CoordinatorMetrics(run.registry) });
  closers.unshift(() => ex.close());
  closers.unshift(() => service.close());
  return { coordinator: { owner: service.owner, executor: ex.executor.kind }, ops };
}

export function registerApiCommand(program: Command, ctx: ContextFactory): void {
  program
    .command("api")
    .description("serve the REST + SSE API and the dashboard, running launched campaigns here")
    .option("--port <P>", "port", "8080")
    .option("--host <H>", "interface to listen on", "127.0.0.1")
    .option("--open-reads", "allow reads without a token (state changes always need a write token)")
    .option("--dashboard <dir>", "the dashboard build to serve (pnpm --filter @drnn/dashboard build)", "apps/dashboard/dist")
    .option("--threads <n>", "training threads when fitness jobs run in this process", "1")
    .option("--no-coordinator", "do not run campaigns here (a separate 'drnn coordinator' does)")
    .action(
      action<ApiFlags>(ctx, {
        handler: async (c, f) => {
          const port = intOption("--port", f.port, 0);
          const run = longRunning(c, "drnn-api");
          const platform = await openPlatform(c.config, run.out);
          const closers: (() => Promise<void>)[] = [() => platform.close()];
          try {
            const { coordinator, ops } = await openOperations(c, f, platform, run, closers);
            const dashboardDir = resolve(f.dashboard);
            if (!existsSync(join(dashboardDir, "index.html"))) run.logger.info(`no dashboard build at ${dashboardDir}: API only (build it with 'pnpm --filter @drnn/dashboard build')`);
            const api = await startApiServer({
              repos: platform.repos,
              config: { openReads: f.openReads === true, dashboardDir, dataDir: join(resolve(c.config.DRNN_HOME), "api-data"), datasetRoots: [resolve(c.config.DRNN_DATA_ROOT)] },
              promote: (repos, input) => promoteCampaign(repos, { ...input, artifactsDir: c.config.DRNN_ARTIFACTS_DIR, artifacts: openArtifacts(c.config, repos, run.out) }),
              rollback: (repos, input) => rollbackModel(repos, input),
              pushDataset: async (dir, name) => (await openArtifacts(c.config, platform.repos, run.out).pushDataset(dir, name)).dataset,
              ...(coordinator ? { coordinator } : {}),
              ...ops,
              logger: run.logger,
              port,
              host: f.host,
              drainMs: c.config.DRNN_DRAIN_MS,
            });
            const url = api.url;
            closers.unshift(() => api.close());
            run.logger.info({ url, mode: platform.mode, coordinator: coordinator?.owner ?? null }, `drnn api on ${url} (${platform.mode} mode${coordinator ? `, coordinator with ${coordinator.executor} executor` : ", no coordinator"}); sign in with a token from 'drnn token create'`);
            const stoppedBy = await untilSignal();
            run.logger.info({ signal: stoppedBy }, `${stoppedBy}: stopping`);
            return { url, mode: platform.mode, stoppedBy };
          } finally {
            for (const close of closers) await close().catch((err: unknown) => run.logger.warn({ err }, "error while stopping"));
          }
        },
      }),
    );
}
