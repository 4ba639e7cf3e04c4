// A fitness worker node: registers itself, pulls jobs from BullMQ, trains,
// heartbeats, and on SIGTERM stops taking jobs, requeues what it was
// training and leaves. The caller owns the database handle and the trainer.
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import type { Repositories } from "@drnn/db";
import { createRedis, watchRedis, type QueueConfig } from "@drnn/queue";
import { startFitnessWorker } from "../executors/bullmq.js";
import type { Trainer } from "../trainer.js";
import type { JobArtifacts } from "../evaluation/job-artifacts.js";
import type { Logger } from "../logger.js";
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
  /** Outages of Redis and the database, one line when each goes and one when it is back. */
  log?: (line: string) => void;
  /** Structured logs: worker errors, failed jobs and heartbeats, with candidate and campaign ids. */
  logger?: Logger;
}

export interface WorkerService {
  readonly id: string;
  close(): Promise<void>;
}

export function newWorkerId(): string {
  return `${hostname()}-${process.pid}-${randomBytes(2).toString("hex")}`;
}

export async function startWorkerService(o: WorkerServiceOptions): Promise<WorkerService> {
  const id = o.id ?? newWorkerId();
  await o.repos.workers.register({ id, hostname: hostname(), backend: o.trainer.backend, device: o.trainer.device, concurrency: o.concurrency });
  const log = o.log ?? (() => undefined);
  const connection = createRedis(o.queue.redisUrl);
  const unwatch = watchRedis(connection, o.queue.redisUrl, log);
  const outages = new OutageLog(log);
  const handle = startFitnessWorker({
    connection,
    config: o.queue,
    ...(o.queueName ? { queueName: o.queueName } : {}),
    concurrency: o.concurrency,
    deps: { repos: o.repos, trainer: o.trainer, worker: { id, backend: o.trainer.backend, device: o.trainer.device }, heartbeatMs: o.heartbeatMs ?? 5000, ...(o.artifacts ? { artifacts: o.artifacts } : {}), ...(o.logger ? { logger: o.logger } : {}) },
    ...(o.logger ? { logger: o.logger } : {}),
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
    close: async () => {
      clearInterval(beat);
      await handle.close();
      await o.repos.workers.stop(id).catch(() => undefined);
      unwatch();
      connection.disconnect();
    },
  };
}
