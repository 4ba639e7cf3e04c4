// Session keys on the test Redis: ids that look like another session's keys
// do not touch that session, and every key the store writes expires.
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, inject, it } from "vitest";
import { Redis } from "ioredis";
import { SessionStore, sessionKeys } from "./session-store.js";

const redis = new Redis(inject("redisUrl"));
const prefix = `${inject("queuePrefix")}-sessions-${randomUUID()}`;
afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

describe("session store keys", () => {
  it("keeps sessions apart whose ids look like each other's keys, and puts a TTL on every key", async () => {
    const store = new SessionStore(redis, { prefix, ttlMs: 60_000 });
    const ids = ["v2", "v2:m", "v2:v", "{v2}", "{v2}:m", "v2}:m", "a:b:c", "ü/ 空", ""];
    for (const [i, id] of ids.entries()) {
      for (let n = 0; n <= i; n++) await store.append(id, { ts: 1000 * n, page: `${i}-${n}` }, `user-${i}`);
    }
    for (const [i, id] of ids.entries()) {
      const s = await store.read(id);
      expect(s?.total).toBe(i + 1);
      expect(s?.userId).toBe(`user-${i}`);
      expect(s?.views.map((v) => v.page)).toEqual(Array.from({ length: i + 1 }, (_, n) => `${i}-${n}`));
    }
    const keys = await redis.keys(`${prefix}:*`);
    expect(keys).toHaveLength(2 * ids.length);
    for (const key of keys) {
      const ttl = await redis.pttl(key);
      expect(ttl, key).toBeGreaterThan(0);
      expect(ttl, key).toBeLessThanOrEqual(60_000);
    }
  });

  it("gives each session two keys in one hash slot, none of them another id's", () => {
    const a = sessionKeys("p", "v2");
    const b = sessionKeys("p", "v2:m");
    expect(new Set([a.views, a.meta, b.views, b.meta]).size).toBe(4);
    for (const k of [a, b]) expect(/\{([^}]*)\}/.exec(k.views)?.[1]).toBe(/\{([^}]*)\}/.exec(k.meta)?.[1]);
  });
});
