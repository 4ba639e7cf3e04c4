// The API app's wiring: the database, optionally a coordinator on BullMQ,
// and the HTTP server (startApiServer, shared with `drnn api`).
import { fileURLToPath } from "node:url";
import { openNodeArtifacts } from "@drnn/artifacts";
import { createDb, createRepositories, type Repositories } from "@drnn/db";
import { startApiServer, type ApiDeps, type ApiServerOptions, type RunningApi } from "@drnn/http-api";
import { createRedis, watchRedis } from "@drnn/queue";
import { promoteCampaign, rollbackModel } from "@drnn/serving";
import { BullmqExecutor, createLogger, startCoordinatorService } from "@drnn/tuning";
import type { ApiAppConfig } from "./config.js";

export function apiConfig(c: ApiAppConfig): ApiServerOptions["config"] {
  return { openReads: c.API_OPEN_READS, bodyLimit: c.API_BODY_LIMIT, dashboardDir: c.API_DASHBOARD_DIR ?? fileURLToPath(new URL("../../dashboard/dist", import.meta.url)), dataDir: c.API_DATA_DIR, datasetRoots: [c.API_DATASET_ROOT] };
}

export async function startApi(c: ApiAppConfig, log: (line: string) => void): Promise<RunningApi> {
  const db = createDb(c.DATABASE_URL);
  const repos: Repositories = createRepositories(db.prisma);
  let stopCoordinator = async () => {};
  let coordinator: ApiDeps["coordinator"];
  if (c.REDIS_URL && c.API_RUN_COORDINATOR) {
    const connection = createRedis(c.REDIS_URL);
    watchRedis(connection, c.REDIS_URL, log);
    const executor = new BullmqExecutor(connection, { redisUrl: c.REDIS_URL, prefix: c.DRNN_QUEUE_PREFIX });
    const service = startCoordinatorService({ repos, executor, leaseMs: c.DRNN_LEASE_MS, log, logger: createLogger("drnn-api-coordinator"), onOutcome: (id, o) => log(`campaign ${id}: ${o instanceof Error ? `error: ${o.message}` : String(o)}`) });
    coordinator = { owner: service.owner, executor: "bullmq" };
    stopCoordinator = async () => (await service.close(), await executor.close(), connection.disconnect());
    log(`coordinator ${service.owner} runs campaigns; fitness jobs go to BullMQ (start workers with 'drnn worker')`);
  } else {
    log("no coordinator here (REDIS_URL unset or API_RUN_COORDINATOR=false): run 'drnn coordinator' to run launched campaigns");
  }
  const artifacts = openNodeArtifacts({ repos, artifactsDir: c.DRNN_ARTIFACTS_DIR, cacheMb: c.DRNN_ARTIFACTS_CACHE_MB, log });
  const promote: ApiDeps["promote"] = (r, input) => promoteCampaign(r, { ...input, artifactsDir: c.DRNN_ARTIFACTS_DIR, artifacts });
  const rollback: ApiDeps["rollback"] = (r, input) => rollbackModel(r, input);
  const pushDataset: ApiDeps["pushDataset"] = async (dir, name) => (await artifacts.pushDataset(dir, name)).dataset;
  const running = await startApiServer({ repos, config: apiConfig(c), promote, rollback, pushDataset, ...(coordinator ? { coordinator } : {}), port: c.API_PORT, host: c.API_HOST });
  return {
    ...running,
    close: async () => {
      await running.close();
      await stopCoordinator();
      await db.close();
    },
  };
}
