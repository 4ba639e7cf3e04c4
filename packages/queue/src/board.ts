// The queue view: bull-board (its own UI and JSON routes) over the platform's
// BullMQ queues, as an Express router for the api to mount at `basePath`
// behind its own authentication. Retry, promote and clean act on BullMQ
// only; PostgreSQL stays the record of each evaluation.
import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { ExpressAdapter } from "@bull-board/express";
import type { Queue } from "bullmq";
import type { Router } from "express";

export function createQueueBoard(queues: readonly Queue[], basePath: string): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(basePath);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter, options: { uiConfig: { boardTitle: "drnn queues" } } });
  return serverAdapter.getRouter() as Router;
}
