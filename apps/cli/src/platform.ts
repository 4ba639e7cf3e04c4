// Opens what a command needs, in one of two modes (DESIGN.md section 8):
// - services: DATABASE_URL (PostgreSQL) and, for distributed training,
//   REDIS_URL (BullMQ): the path multi-node deployments use;
// - embedded: neither set, so PostgreSQL runs in-process (PGlite, under
//   DRNN_HOME) and fitness jobs run in this process, training in threads.
// Whatever is opened here is closed by the returned close().
import { join, resolve } from "node:path";
import { createDb, createEmbeddedDb, createRepositories, defaultMigrationsDir, migrationStatus, type DbHandle, type Repositories } from "@drnn/db";
import { createRedis, watchRedis } from "@drnn/queue";
import { BullmqExecutor, DrnnThreadTrainer, InProcessExecutor, SimulatedTrainer, type FitnessExecutor, type Trainer } from "@drnn/tuning";
import type { CliConfig } from "./config.js";
import type { Output } from "./output.js";
import { reachableDatabase, reachableRedis, viaVariable } from "./services.js";
import { UsageError } from "./errors.js";
import { openArtifacts } from "./node-artifacts.js";

type Redis = ReturnType<typeof createRedis>;

export interface Platform {
  mode: "embedded" | "services";
  repos: Repositories;
  db: DbHandle;
  close(): Promise<void>;
}

/** DATABASE_URL, reachable and fully migrated, or one line saying which. */
export async function openServicesDb(config: CliConfig, maxConnections?: number): Promise<DbHandle> {
  const url = await reachableDatabase(config);
  const status = await viaVariable("DATABASE_URL", () => migrationStatus(url, defaultMigrationsDir()));
  if (!status.clean) throw new UsageError(`DATABASE_URL: the database needs migrations (${status.pending.length} pending); run 'drnn db deploy'`);
  return createDb(url, maxConnections === undefined ? {} : { maxConnections });
}

export async function openPlatform(config: CliConfig, out: Output): Promise<Platform> {
  if (config.DATABASE_URL) {
    const db = await openServicesDb(config);
    return { mode: "services", db, repos: createRepositories(db.prisma), close: () => db.close() };
  }
  const dataDir = resolve(config.DRNN_HOME, "pgdata");
  out.progress(`embedded mode: DATABASE_URL is not set, so PostgreSQL runs in this process (PGlite, data in ${dataDir})`);
  const db = await createEmbeddedDb({ dataDir });
  return { mode: "embedded", db, repos: createRepositories(db.prisma), close: () => db.close() };
}

export async function openTrainer(config: CliConfig, threads: number, out: Output): Promise<Trainer> {
  if (config.DRNN_TRAINER === "simulated") {
    out.progress("DRNN_TRAINER=simulated: fitness is a deterministic stand-in, no model is trained");
    return new SimulatedTrainer({ epochMs: config.DRNN_SIMULATED_EPOCH_MS, epochs: config.DRNN_SIMULATED_EPOCHS });
  }
  const trainer = await DrnnThreadTrainer.start({
    threads,
    ...(config.DRNN_BACKEND ? { backend: config.DRNN_BACKEND } : {}),
    artifactsDir: resolve(config.DRNN_ARTIFACTS_DIR),
    webgpuFlags: config.DRNN_WEBGPU_FLAGS,
    ...(config.DRNN_WORKER_MEMORY_MB === undefined ? {} : { memoryBytes: config.DRNN_WORKER_MEMORY_MB * 2 ** 20 }),
  });
  for (const note of trainer.notes) out.progress(`passed over ${note}`);
  const { bytes, source } = trainer.memory;
  out.progress(`training on TF.js backend '${trainer.backend}' (${trainer.device}), ${threads} thread(s), ${Math.round(bytes / 2 ** 20)} MiB for their jobs (${source})`);
  return trainer;
}

export interface ExecutorHandle {
  executor: FitnessExecutor;
  close(): Promise<void>;
}

/**
 * BullMQ when REDIS_URL is set (workers are separate `drnn worker` processes), else in-process.
 * `shared`: a Redis connection the caller owns and watches, used instead of a new one.
 */
export async function openExecutor(config: CliConfig, platform: Platform, out: Output, threads: number, shared?: Redis): Promise<ExecutorHandle> {
  if (config.REDIS_URL) {
    const url = await reachableRedis(config);
    const connection = shared ?? createRedis(url);
    const unwatch = shared ? () => undefined : watchRedis(connection, url, (line) => out.progress(line));
    const executor = new BullmqExecutor(connection, { redisUrl: url, prefix: config.DRNN_QUEUE_PREFIX });
    out.progress("fitness jobs go to BullMQ; start workers with 'drnn worker'");
    return { executor, close: async () => (await executor.close(), unwatch(), shared ? undefined : connection.disconnect()) };
  }
  if (platform.mode === "services") out.progress("REDIS_URL is not set: fitness jobs run in this process");
  const trainer = await openTrainer(config, threads, out);
  const worker = { id: `in-process-${process.pid}`, backend: trainer.backend, device: trainer.device };
  await platform.repos.workers.register({ ...worker, hostname: "localhost", concurrency: threads });
  const artifacts = openArtifacts(config, platform.repos, out);
  const executor = new InProcessExecutor({ deps: { repos: platform.repos, trainer, worker, artifacts }, concurrency: threads, attempts: 2 });
  return { executor, close: async () => (await executor.close(), await trainer.close()) };
}

export function demoDir(config: CliConfig): string {
  return join(resolve(config.DRNN_HOME), "demo");
}
