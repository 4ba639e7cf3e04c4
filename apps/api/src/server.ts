// Starts the API on a port: the database, optionally a coordinator on
// BullMQ, and the HTTP server. main.ts calls it; so do the tests.
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import type { Server } from "node:http";
import { createDb, createRepositories, type Repositories } from "@drnn/db";
import { createApi, type Api, type ApiConfig, type ApiDeps } from "@drnn/http-api";
import { createRedis, watchRedis } from "@drnn/queue";
import { promoteCampaign, rollbackModel } from "@drnn/serving";
import { BullmqExecutor, startCoordinatorService } from "@drnn/tuning";
import type { ApiAppConfig } from "./config.js";

export interface RunningApi {
  url: string;
  server: Server;
  liveStats: Api["liveStats"];
  close(): Promise<void>;
}

/** Listens with an already-built deps object (tests pass their own repos). */
export async function listen(deps: ApiDeps, port: number, host = "127.0.0.1"): Promise<RunningApi> {
  const api = createApi(deps);
  const server = api.app.listen(port, host);
  await new Promise<void>((resolve, reject) => server.once("listening", resolve).once("error", reject));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${bound}`,
    server,
    liveStats: () => api.liveStats(),
    close: async () => {
      api.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export function apiConfig(c: ApiAppConfig): ApiConfig {
  return { openReads: c.API_OPEN_READS, bodyLimit: c.API_BODY_LIMIT, ssePollMs: 250, workerLivenessMs: 30_000, dashboardDir: c.API_DASHBOARD_DIR ?? fileURLToPath(new URL("../../dashboard/dist", import.meta.url)), dataDir: c.API_DATA_DIR };
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
    const service = startCoordinatorService({ repos, executor, leaseMs: c.DRNN_LEASE_MS, log, onOutcome: (id, o) => log(`campaign ${id}: ${o instanceof Error ? `error: ${o.message}` : String(o)}`) });
    coordinator = { owner: service.owner, executor: "bullmq" };
    stopCoordinator = async () => (await service.close(), await executor.close(), connection.disconnect());
    log(`coordinator ${service.owner} runs campaigns; fitness jobs go to BullMQ (start workers with 'drnn worker')`);
  } else {
    log("no coordinator here (REDIS_URL unset or API_RUN_COORDINATOR=false): run 'drnn coordinator' to run launched campaigns");
  }
  const promote: ApiDeps["promote"] = (r, input) => promoteCampaign(r, { ...input, artifactsDir: c.DRNN_ARTIFACTS_DIR });
  const rollback: ApiDeps["rollback"] = (r, input) => rollbackModel(r, input);
  const running = await listen({ repos, config: apiConfig(c), promote, rollback, ...(coordinator ? { coordinator } : {}) }, c.API_PORT, c.API_HOST);
  return {
    ...running,
    close: async () => {
      await running.close();
      await stopCoordinator();
      await db.close();
    },
  };
}
