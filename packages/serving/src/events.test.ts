// Page views, carts and purchases into the online loop over loopback, with
// the real ingest (@drnn/ingest) on the test run's PostgreSQL and Redis: a
// 200 means the event is stored, a stopped and restarted server goes on with
// the open sessions, a closed purchase session makes a batch with its job;
// malformed events get 400 naming the field and are not stored.
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Redis } from "ioredis";
import type { ErrorBody } from "@drnn/contract";
import { createDb, createRepositories, type DbHandle, type Repositories } from "@drnn/db";
import { DEFAULT_SESSIONIZER } from "@drnn/data";
import { ApiIngest } from "@drnn/ingest";
import { RetrainQueue } from "@drnn/queue";
import { createServingServer } from "./server.js";
import { ModelHolder } from "./model-holder.js";
import { Recommender } from "./recommender.js";
import { SessionStore } from "./session-store.js";
import { testServingModel } from "./testing.js";
import type { EventSink } from "./events.js";

let redis: Redis;
let db: DbHandle;
let repos: Repositories;
const servers: Server[] = [];
const prefix = `${inject("queuePrefix")}-events`;
const T0 = Date.parse("2026-03-02T09:00:00Z");

beforeAll(() => {
  redis = new Redis(inject("redisUrl"), { maxRetriesPerRequest: null });
  db = createDb(inject("databaseUrl"), { maxConnections: 4 });
  repos = createRepositories(db.prisma);
});
afterAll(async () => {
  for (const s of servers) s.close();
  redis.disconnect();
  await db.close();
});

async function listen(events: EventSink | undefined): Promise<string> {
  const holder = new ModelHolder();
  holder.swap(testServingModel({ id: "x", name: "drnn", version: 1 }));
  const deps = { store: new SessionStore(redis, { prefix }), recommender: new Recommender(holder), holder, ...(events ? { events } : {}) };
  const server = createServingServer(deps).listen(0, "127.0.0.1");
  await new Promise<void>((ok) => server.once("listening", () => ok()));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const post = (base: string, path: string, body: unknown) => fetch(`${base}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

function ingest(source: string, modelName: string, queue: RetrainQueue | null) {
  return ApiIngest.start({ repos, modelName, queue, source, batchSessions: 1, sessionizer: { ...DEFAULT_SESSIONIZER, gapMs: 60_000 }, tickMs: 20 });
}

describe("serving events for the online loop", () => {
  it("stores views, carts and purchases before answering 200, across a restart, and batches the closed purchase session", async () => {
    const source = `api-${randomUUID()}`;
    const model = `m-${randomUUID()}`;
    const queue = new RetrainQueue(redis, { redisUrl: inject("redisUrl"), prefix }, `drnn-retrain-${randomUUID()}`);
    const first = await ingest(source, model, queue);
    const base = await listen(first);
    expect((await post(base, "/v1/page-views", { sessionId: "s1", userId: "alice", page: "p2", itemId: "item2", timestamp: T0 })).status).toBe(200);
    const cart = await post(base, "/v1/events", { sessionId: "s1", userId: "alice", event: "cart", itemId: "item2", timestamp: T0 + 5_000 });
    expect(cart.status).toBe(200);
    expect(await cart.json()).toEqual({ stored: true, sessionId: "s1", event: "cart", itemId: "item2", timestamp: T0 + 5_000 });
    // The same cart again (a client that got no answer sends it again): answered, stored once.
    expect((await post(base, "/v1/events", { sessionId: "s1", userId: "alice", event: "cart", itemId: "item2", timestamp: T0 + 5_000 })).status).toBe(200);
    expect(first.service.totals.duplicates).toBe(1);
    // Answered means committed: the open session is in PostgreSQL already, before any shutdown.
    const open = await repos.ingest.openSessions(source);
    expect(open.map((o) => [o.key, (o.records as { event: string }[]).map((r) => r.event)])).toEqual([["s:s1", ["view", "cart"]]]);
    await first.close();

    // A new server process on the same source goes on with the open session.
    const second = await ingest(source, model, queue);
    const base2 = await listen(second);
    expect((await post(base2, "/v1/events", { sessionId: "s1", userId: "alice", event: "buy", itemId: "item2", timestamp: T0 + 9_000 })).status).toBe(200);
    // Another session an hour later moves the clock past s1's timeout: s1 closes as a purchase session and makes batch 1.
    expect((await post(base2, "/v1/page-views", { sessionId: "s2", page: "p4", timestamp: T0 + 3_600_000 })).status).toBe(200);
    const batches = await until(async () => {
      const b = await repos.onlineBatches.list(model);
      return b.length > 0 && b;
    });
    const [session] = await repos.onlineSessions.ofBatch(batches[0]?.id ?? "");
    expect(session).toMatchObject({ sourceKey: "s1", hasPurchase: true, firstEventAt: new Date(T0), lastEventAt: new Date(T0 + 9_000) });
    expect((session?.records as { event: string; itemId?: string }[]).map((r) => [r.event, r.itemId])).toEqual([["view", "item2"], ["cart", "item2"], ["buy", "item2"]]);
    expect(await until(async () => (await queue.queue.getJobs(["waiting"])).map((j) => j.id))).toEqual([batches[0]?.id]);
    await second.close();
    await queue.queue.obliterate({ force: true });
    await queue.close();
  });

  it("answers a malformed event 400 naming the field, and stores none of them", async () => {
    const source = `api-${randomUUID()}`;
    const sink = await ingest(source, `m-${randomUUID()}`, null);
    const base = await listen(sink);
    const cases: [string, unknown, string][] = [
      ["/v1/events", { sessionId: "s", event: "buy" }, "itemId"],
      ["/v1/events", { sessionId: "s", event: "click", itemId: "i" }, "event"],
      ["/v1/events", { event: "buy", itemId: "i" }, "sessionId"],
      ["/v1/events", { sessionId: "s", event: "cart", itemId: "i", timestamp: "tomorrow" }, "timestamp"],
      ["/v1/events", { sessionId: "s", event: "cart", itemId: "i", price: 3 }, "body"],
      ["/v1/events", { sessionId: "s", event: "cart", itemId: 17 }, "itemId"],
      ["/v1/page-views", { sessionId: "s", page: "p2", itemId: 5 }, "itemId"],
    ];
    for (const [path, body, field] of cases) {
      const res = await post(base, path, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const err = ((await res.json()) as ErrorBody).error;
      expect(err.code).toBe("VALIDATION_FAILED");
      expect(err.issues?.[0]?.path, JSON.stringify(body)).toBe(field);
      expect(err.message.startsWith(`${field}:`)).toBe(true);
    }
    await sink.close();
    expect(await repos.ingest.openSessions(source)).toEqual([]);
    expect((await repos.ingest.cursor(source))?.position ?? 0n).toBe(0n);
  });

  it("answers 503 with the reason when the server does not ingest", async () => {
    const base = await listen(undefined);
    const res = await post(base, "/v1/events", { sessionId: "s", event: "buy", itemId: "i" });
    expect(res.status).toBe(503);
    expect(((await res.json()) as ErrorBody).error).toMatchObject({ code: "SERVICE_UNAVAILABLE", message: expect.stringContaining("does not ingest") });
    // Page views are still answered: ingest is the online loop's, not the recommendation's.
    expect((await post(base, "/v1/page-views", { sessionId: "s", page: "p2" })).status).toBe(200);
  });
});

async function until<T>(check: () => Promise<T | false | undefined>, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v && (!Array.isArray(v) || v.length > 0)) return v;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
}
