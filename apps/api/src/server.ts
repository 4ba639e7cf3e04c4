// The API app's wiring: the database, optionally a coordinator on BullMQ,
// the operator's endpoints (/healthz, /readyz, /metrics, the queue view) and
// the HTTP server (startApiServer, shared with `drnn api`).
import { fileURLToPath } from "node:url";
import { openNodeArtifacts } from "@drnn/artifacts";
import { createDb, createRepositories, databaseReadiness, type Repositories } from "@drnn/db";
import { QUEUE_BOARD_PATH, startApiServer, type ApiDeps, type ApiServerOptions, type RunningApi } from "@drnn/http-api";
import { CoordinatorMetrics, createMetricsRegistry, type Logger, type MetricsSource } from "@drnn/ops";
import { checkRedis, createQueueBoard, createRedis, openPlatformQueues, watchRedis } from "@drnn/queue";
import { promoteCampaign, rollbackModel } from "@drnn/serving";
import { BullmqExecutor, startCoordinatorService } from "@drnn/tuning";
import type { ApiAppConfig } from "./config.js";

export function apiConfig(c: ApiAppConfig): ApiServerOptions["config"] {
  return { openReads: c.API_OPEN_READS, bodyLimit: c.API_BODY_LIMIT, dashboardDir: c.API_DASHBOARD_DIR ?? fileURLToPath(new URL("../../dashboard/dist", import.meta.url)), dataDir: c.API_DATA_DIR, datasetRoots: [c.API_DATASET_ROOT] };
}

export async function startApi(c: ApiAppConfig, logger: Logger): Promise<RunningApi> {
  const db = createDb(c.DATABASE_URL);
  const repos: Repositories = createRepositories(db.prisma);
  const registry = createMetricsRegistry();
  const sources: MetricsSource[] = [];
  const readiness: ApiDeps["readiness"] = { ...databaseReadiness(c.DATABASE_URL) };
  let stopCoordinator = async () => {};
  let coordinator: ApiDeps["coordinator"];
  let queueBoard: ApiDeps["queueBoard"];
  const warn = (line: string) => logger.warn(line);
  if (c.REDIS_URL) {
    const redisUrl = c.REDIS_URL;
    const connection = createRedis(redisUrl);
    const unwatch = watchRedis(connection, redisUrl, warn);
    const executor = new BullmqExecutor(connection, { redisUrl, prefix: c.DRNN_QUEUE_PREFIX });
    const queues = openPlatformQueues(connection, { redisUrl, prefix: c.DRNN_QUEUE_PREFIX });
    readiness["redis"] = () => checkRedis(redisUrl, 2000);
    sources.push(...queues.metrics);
    queueBoard = createQueueBoard(queues.queues, QUEUE_BOARD_PATH);
    let stopService = async () => {};
    if (c.API_RUN_COORDINATOR) {
      const service = startCoordinatorService({ repos, executor, leaseMs: c.DRNN_LEASE_MS, logger, metrics: new CoordinatorMetrics(registry) });
      coordinator = { owner: service.owner, executor: "bullmq" };
      stopService = () => service.close();
      logger.info({ coordinator: service.owner }, `coordinator ${service.owner} runs campaigns; fitness jobs go to BullMQ (start workers with 'drnn worker')`);
    } else logger.info("no coordinator here (API_RUN_COORDINATOR=false): run 'drnn coordinator' to run launched campaigns");
    stopCoordinator = async () => (await stopService(), await executor.close(), await queues.close(), unwatch(), connection.disconnect());
  } else {
    logger.info("no coordinator here (REDIS_URL unset): run 'drnn coordinator' to run launched campaigns");
  }
  const artifacts = openNodeArtifacts({ repos, artifactsDir: c.DRNN_ARTIFACTS_DIR, cacheMb: c.DRNN_ARTIFACTS_CACHE_MB, log: (line) => logger.info(line) });
  const promote: ApiDeps["promote"] = (r, input) => promoteCampaign(r, { ...input, artifactsDir: c.DRNN_ARTIFACTS_DIR, artifacts });
  const rollback: ApiDeps["rollback"] = (r, input) => rollbackModel(r, input);
  const pushDataset: ApiDeps["pushDataset"] = async (dir, name) => (await artifacts.pushDataset(dir, name)).dataset;
  const running = await startApiServer({
    repos,
    config: apiConfig(c),
    promote,
    rollback,
    pushDataset,
    ...(coordinator ? { coordinator } : {}),
    ...(queueBoard ? { queueBoard } : {}),
    metrics: { registry, sources },
    readiness,
    logger,
    port: c.API_PORT,
    host: c.API_HOST,
    drainMs: c.DRNN_DRAIN_MS,
  });
  return {
    ...running,
    close: async () => {
      await running.close();
      await stopCoordinator();
      await db.close();
    },
  };
}
