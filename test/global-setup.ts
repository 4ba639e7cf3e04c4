// One isolated PostgreSQL database and one Redis key prefix per test run,
// created before any test and removed after the last, so runs never see each
// other's rows or queues (CI and a developer may run at once).
import { randomBytes } from "node:crypto";
import type {} from "vitest";
import type { TestProject } from "vitest/node";
import { createTestDatabase, dropTestDatabase, deleteRedisPrefix, testServiceUrls } from "./services.js";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    redisUrl: string;
    queuePrefix: string;
  }
}

export default async function setup(project: TestProject) {
  const runId = `${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const { adminUrl, redisUrl } = testServiceUrls();
  const databaseUrl = await createTestDatabase(adminUrl, `drnn_test_${runId}`);
  const queuePrefix = `drnn-test-${runId}`;
  project.provide("databaseUrl", databaseUrl);
  project.provide("redisUrl", redisUrl);
  project.provide("queuePrefix", queuePrefix);
  return async () => {
    await dropTestDatabase(adminUrl, databaseUrl);
    await deleteRedisPrefix(redisUrl, queuePrefix);
  };
}
