// Outage reporting against a private Redis that the test kills and restarts
// (never the machine's own).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPrivateRedis, type PrivateRedis } from "../../../test/private-services.js";
import { createRedis, isLostJobError, isRedisConnectionError, watchRedis } from "./connection.js";
import { FitnessQueue } from "./fitness-queue.js";

let redis: PrivateRedis;
beforeAll(async () => {
  redis = await startPrivateRedis();
});
afterAll(() => redis.close());

describe("watchRedis", () => {
  it("logs one line when Redis goes and one when it is back, however often the client retries", async () => {
    const lines: string[] = [];
    const connection = createRedis(redis.url);
    const unwatch = watchRedis(connection, redis.url, (l) => lines.push(l));
    let errors = 0;
    const seen: Error[] = [];
    connection.on("error", (err: Error) => (errors++, seen.push(err)));
    const queue = new FitnessQueue(connection, { redisUrl: redis.url, prefix: "watch" });
    await queue.queue.waitUntilReady();
    const printed: unknown[] = [];
    const originalError = console.error;
    console.error = (...args: unknown[]) => void printed.push(args);
    try {
      await redis.kill();
      await expect.poll(() => errors, { timeout: 10_000 }).toBeGreaterThan(3);
      await redis.start();
      await expect.poll(() => lines.length, { timeout: 10_000 }).toBe(2);
      await queue.queue.getJobCounts();
    } finally {
      console.error = originalError;
      unwatch();
      await queue.close();
      connection.disconnect();
    }
    // A killed server shows as a reset of the open connection or a refused reconnect, whichever comes first.
    expect(lines[0]).toMatch(/^Redis at 127\.0\.0\.1:\d+ unavailable: .*(ECONNREFUSED|ECONNRESET).*; retrying$/);
    expect(lines[1]).toMatch(/^Redis at 127\.0\.0\.1:\d+ back after \d+\.\d s$/);
    // Every retry's error is recognised as a lost connection (workers then log none of them).
    expect(seen.filter((e) => !isRedisConnectionError(e)).map((e) => e.message)).toEqual([]);
    expect(isRedisConnectionError(new Error("Missing lock for job 7. moveToFinished"))).toBe(false);
    // The queue's own error events print nothing either (BullMQ console.errors an unhandled one).
    expect(printed).toEqual([]);
  });
});

describe("isLostJobError", () => {
  it("tells a job whose keys Redis lost from a held or stolen lock", () => {
    expect(isLostJobError(new Error("Missing key for job 9fa7.0221. moveToFinished"))).toBe(true);
    expect(isLostJobError(new Error("Missing lock for job 7. moveToFinished"))).toBe(false);
    expect(isLostJobError(new Error("connect ECONNREFUSED 127.0.0.1:6390"))).toBe(false);
  });
});
