// The queue view: bull-board (its own UI and JSON routes) over the platform's
// BullMQ queues, as an Express router for the api to mount at `basePath`
// behind its own authentication. Retry, promote and clean act on BullMQ
// only; PostgreSQL stays the record of each evaluation and batch.
import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { ExpressAdapter } from "@bull-board/express";
import type { Queue } from "bullmq";
import type { Router } from "express";
import type { Redis } from "ioredis";
import type { QueueConfig } from "./connection.js";
import { FitnessQueue } from "./fitness-queue.js";
import { RetrainQueue } from "./retrain-queue.js";

export function createQueueBoard(queues: readonly Queue[], basePath: string): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(basePath);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter, options: { uiConfig: { boardTitle: "drnn queues" } } });
  return serverAdapter.getRouter() as Router;
}

export interface PlatformQueues {
  /** Every queue of the platform (fitness, retraining), for the view and for metrics. */
  queues: Queue[];
  /** Each queue's job counts in Prometheus text, as BullMQ renders them (exportPrometheusMetrics). */
  metrics: (() => Promise<string>)[];
  close(): Promise<void>;
}

/** Handles on the platform's queues over `connection` (the caller's), for the api to show and count. */
export function openPlatformQueues(connection: Redis, config: QueueConfig): PlatformQueues {
  const owned = [new FitnessQueue(connection, config), new RetrainQueue(connection, config)];
  const queues = owned.map((q) => q.queue as Queue);
  return {
    queues,
    metrics: queues.map((q) => () => q.exportPrometheusMetrics()),
    close: async () => void (await Promise.all(owned.map((q) => q.close()))),
  };
}
