// A fitness worker node: registers itself, pulls jobs from BullMQ, trains,
// heartbeats, and on SIGTERM stops taking jobs, lets running ones finish for
// a bounded time, hands back what is still training and leaves. The caller
// owns the database handle and the trainer.
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import type { Repositories } from "@drnn/db";
import { createRedis, watchRedis, type QueueConfig } from "@drnn/queue";
import { startFitnessWorker, type DrainReport } from "../executors/bullmq.js";
import type { Trainer } from "../trainer.js";
import type { JobArtifacts } from "../evaluation/job-artifacts.js";
import { silentLogger, type EvaluationMetrics, type Logger } from "@drnn/ops";
import { OutageLog } from "./outage-log.js";

export interface WorkerServiceOptions {
  repos: Repositories;
  queue: QueueConfig;
  queueName?: string;
  trainer: Trainer;
  concurrency: number;
  id?: string;
  heartbeatMs?: number;
  /** Datasets fetched by hash and trained models pushed (multi-node); unset: paths only. */
  artifacts?: JobArtifacts;
  /** Structured logs, bound to this worker's id: outages of Redis and the database (one warning when each goes, one when it is back), failed jobs and heartbeats, the drain. */
  logger?: Logger;
  metrics?: EvaluationMetrics;
}

export interface WorkerService {
  readonly id: string;
  /** Stops taking jobs; running ones get `graceMs` to finish, then are handed back to the queue. */
  close(graceMs?: number): Promise<DrainReport>;
}

export function newWorkerId(): string {
  return `${hostname()}-${process.pid}-${randomBytes(2).toString("hex")}`;
}

export async function startWorkerService(o: WorkerServiceOptions): Promise<WorkerService> {
  const id = o.id ?? newWorkerId();
  await o.repos.workers.register({ id, hostname: hostname(), backend: o.trainer.backend, device: o.trainer.device, concurrency: o.concurrency });
  const logger = (o.logger ?? silentLogger()).child({ workerId: id });
  const log = (line: string) => logger.warn(line);
  const connection = createRedis(o.queue.redisUrl);
  const unwatch = watchRedis(connection, o.queue.redisUrl, log);
  const outages = new OutageLog(log);
  const handle = startFitnessWorker({
    connection,
    config: o.queue,
    ...(o.queueName ? { queueName: o.queueName } : {}),
    concurrency: o.concurrency,
    deps: { repos: o.repos, trainer: o.trainer, worker: { id, backend: o.trainer.backend, device: o.trainer.device }, heartbeatMs: o.heartbeatMs ?? 5000, ...(o.artifacts ? { artifacts: o.artifacts } : {}), ...(o.metrics ? { metrics: o.metrics } : {}), logger },
    logger,
  });
  const beat = setInterval(
    () =>
      void o.repos.workers.heartbeat(id).then(
        () => outages.up("PostgreSQL"),
        (err: unknown) => outages.down("PostgreSQL", err),
      ),
    o.heartbeatMs ?? 5000,
  );
  return {
    id,
    close: async (graceMs = 0) => {
      logger.info({ graceMs }, "worker stopping: no new jobs; running ones may finish, then are handed back");
      clearInterval(beat);
      const drained = await handle.close(graceMs);
      await o.repos.workers.stop(id).catch(() => undefined);
      unwatch();
      connection.disconnect();
      logger.info(drained, `worker stopped: ${drained.running - drained.handedBack} job(s) finished, ${drained.handedBack} handed back`);
      return drained;
    },
  };
}
