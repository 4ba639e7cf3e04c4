import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, inject } from "vitest";
import { createRedis } from "@drnn/queue";
import { openTestEnv, type TestEnv } from "../testing.js";
import { executorConformance } from "./executors.conformance.js";
import { InProcessExecutor } from "./in-process.js";
import { BullmqExecutor, startFitnessWorker } from "./bullmq.js";

let env: TestEnv;
beforeAll(async () => {
  env = await openTestEnv(inject("databaseUrl"));
});
afterAll(() => env.close());

const worker = { id: "test-worker", backend: "simulated", device: "none" };

executorConformance("in-process", () => env, async (e, trainer, attempts) => new InProcessExecutor({ deps: { repos: e.repos, trainer, worker }, concurrency: 2, attempts }));

executorConformance("bullmq", () => env, async (e, trainer, attempts) => {
  const config = { redisUrl: inject("redisUrl"), prefix: inject("queuePrefix") };
  const queueName = `fitness-${randomUUID()}`;
  const producer = createRedis(config.redisUrl);
  const consumer = createRedis(config.redisUrl);
  // Retries come fast in tests; production keeps the exponential backoff.
  const executor = new BullmqExecutor(producer, config, queueName, { attempts, backoff: { type: "fixed", delay: 50 } });
  const w = startFitnessWorker({ connection: consumer, config, queueName, concurrency: 2, deps: { repos: e.repos, trainer, worker } });
  const close = executor.close.bind(executor);
  return Object.assign(executor, {
    close: async () => {
      await w.close();
      await executor.bullQueue.obliterate({ force: true });
      await close();
      producer.disconnect();
      consumer.disconnect();
    },
  });
});
