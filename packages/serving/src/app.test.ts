// The HTTP contract over loopback with real Redis and PostgreSQL: 400 naming
// the field, 503 with the reason, OOV served, and a hot swap under load that
// fails no request.
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Redis } from "ioredis";
import type { ErrorBody } from "@drnn/contract";
import { createDb, createRepositories, type DbHandle, type Repositories } from "@drnn/db";
import { saveModel } from "@drnn/model";
import { createServingApp } from "./app.js";
import { createServingServer, MAX_BODY_BYTES } from "./server.js";
import { AliasFollower, ModelHolder } from "./model-holder.js";
import { Recommender } from "./recommender.js";
import { SessionStore } from "./session-store.js";
import { testServingModel, testVocab } from "./testing.js";

let redis: Redis;
let db: DbHandle;
let repos: Repositories;
let dir: string;
const servers: Server[] = [];
const prefix = `${inject("queuePrefix")}-app`;

beforeAll(() => {
  redis = new Redis(inject("redisUrl"));
  db = createDb(inject("databaseUrl"), { maxConnections: 4 });
  repos = createRepositories(db.prisma);
  dir = mkdtempSync(join(tmpdir(), "drnn-serving-"));
});

afterAll(async () => {
  for (const s of servers) s.close();
  await redis.quit();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The deployed server (page views on the raw fast path), or with `express` the Express app alone. */
async function listen(holder: ModelHolder, follower?: AliasFollower, express = false): Promise<string> {
  const store = new SessionStore(redis, { prefix });
  const deps = { store, recommender: new Recommender(holder), holder, ...(follower ? { follower } : {}) };
  const server = express ? createServingApp(deps).listen(0, "127.0.0.1") : createServingServer(deps).listen(0, "127.0.0.1");
  await new Promise<void>((ok) => server.once("listening", () => ok()));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function post(base: string, body: unknown, raw?: string, contentType = "application/json"): Promise<Response> {
  return fetch(`${base}/v1/page-views`, { method: "POST", headers: { "content-type": contentType }, body: raw ?? JSON.stringify(body) });
}

/** Saves a test model as a registered version of `name` and returns its number. */
async function register(name: string, seed: number): Promise<{ id: string; version: number }> {
  const m = testServingModel({ id: "tmp", name, version: 0 }, { seed });
  const artifact = join(dir, `${name}-${seed}`);
  await saveModel(m.model, artifact, { vocabularies: testVocab(m.model.dims.pages, m.model.dims.items) });
  m.retire();
  const row = await repos.models.addVersion({ name, chromosome: m.model.chromosome as never, fitness: seed / 100, artifact });
  return { id: row.id, version: row.version };
}

describe("serving app", () => {
  it("answers 503 with the reason while no model is promoted, and readiness says why", async () => {
    const holder = new ModelHolder();
    const follower = new AliasFollower(repos.models, holder, { name: "nothing-here" });
    await follower.refresh();
    const base = await listen(holder, follower);
    const res = await post(base, { sessionId: "s", page: "p2" });
    expect(res.status).toBe(503);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe("SERVICE_UNAVAILABLE");
    expect(body.error.message).toContain("no model is promoted under 'nothing-here'");
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { reason: string }).reason).toContain("nothing-here");
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it("rejects malformed requests with 400 naming the field, and serves an unknown page as OOV", async () => {
    const holder = new ModelHolder();
    holder.swap(testServingModel({ id: "x", name: "drnn", version: 1 }));
    const base = await listen(holder);
    const cases: [unknown, string][] = [
      [{ page: "p2" }, "sessionId"],
      [{ sessionId: "s", page: 7 }, "page"],
      [{ sessionId: "s", page: "p2", timestamp: "yesterday" }, "timestamp"],
      [{ sessionId: "s", page: "p2", k: 0 }, "k"],
      [{ sessionId: "s", page: "p2", extra: 1 }, "body"],
      [[1, 2], "body"],
    ];
    for (const [body, field] of cases) {
      const res = await post(base, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const err = ((await res.json()) as ErrorBody).error;
      expect(err.code).toBe("VALIDATION_FAILED");
      expect(err.issues?.[0]?.path).toBe(field);
    }
    const broken = await post(base, null, "{not json");
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as ErrorBody).error).toMatchObject({ code: "BAD_REQUEST", issues: [{ path: "body" }] });

    await post(base, { sessionId: "oov-1", page: "p4", timestamp: 1_000 });
    const res = await post(base, { sessionId: "oov-1", page: "a page nobody has seen", timestamp: "2026-11-28T10:00:00Z", k: 4 });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { oov: boolean; source: string; items: { item: string; score: number }[]; pageViews: number; model: { version: number } };
    expect(body).toMatchObject({ oov: true, source: "drnn", pageViews: 2, model: { version: 1 } });
    expect(body.items).toHaveLength(4);
    expect(body.items[0]!.score).toBeGreaterThanOrEqual(body.items[3]!.score);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  });

  it("answers malformed bodies the same on the fast path and through the Express app", async () => {
    const holder = new ModelHolder();
    holder.swap(testServingModel({ id: "x", name: "drnn", version: 1 }));
    const fast = await listen(holder);
    const slow = await listen(holder, undefined, true);
    const requests: [unknown, string | undefined, string | undefined][] = [
      [{ page: "p2" }, undefined, undefined],
      [null, "{not json", undefined],
      [null, JSON.stringify({ sessionId: "s", page: "p2" }), "text/plain"],
      [null, JSON.stringify({ sessionId: "s", page: "x".repeat(MAX_BODY_BYTES) }), undefined],
    ];
    for (const [body, raw, type] of requests) {
      const [a, b] = await Promise.all([post(fast, body, raw, type), post(slow, body, raw, type)]);
      expect(a.status, raw ?? JSON.stringify(body)).toBe(b.status);
      const [ea, eb] = [((await a.json()) as ErrorBody).error, ((await b.json()) as ErrorBody).error];
      expect(ea.code).toBe(eb.code);
      expect(ea.issues?.[0]?.path).toBe(eb.issues?.[0]?.path);
    }
    expect((await post(fast, null, JSON.stringify({ sessionId: "s", page: "x".repeat(MAX_BODY_BYTES) }))).status).toBe(413);
    // Other paths and methods reach the Express app.
    expect((await fetch(`${fast}/healthz`)).status).toBe(200);
    expect((await fetch(`${fast}/v1/page-views`)).status).toBe(404);
    expect((await fetch(`${fast}/v1/page-views?x=1`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).status).toBe(400);
  });

  it("follows the production alias to a new version under load without failing a request", async () => {
    const name = `swap-${Date.now()}`;
    const v1 = await register(name, 1);
    const v2 = await register(name, 2);
    await repos.models.promote(v1.id, name, "test");
    const holder = new ModelHolder();
    const follower = new AliasFollower(repos.models, holder, { name, pollMs: 40 });
    await follower.start();
    const first = holder.current;
    expect(first?.identity.version).toBe(1);
    const base = await listen(holder, follower);
    const statuses: number[] = [];
    const versions: number[] = [];
    let promoted = false;
    const started = Date.now();
    // Promote after 40 answered requests; keep going until 100 are answered and version 2 is served (load-independent).
    const client = async (c: number) => {
      for (let i = 0; statuses.length < 100 || versions.at(-1) !== 2; i++) {
        const res = await post(base, { sessionId: `load-${c}`, page: `p${2 + ((i + c) % 30)}`, timestamp: 1000 * i });
        statuses.push(res.status);
        versions.push(((await res.json()) as { model: { version: number } }).model.version);
        if (!promoted && statuses.length >= 40) {
          promoted = true;
          await repos.models.promote(v2.id, name, "test");
        }
        if (Date.now() - started > 20_000) break;
      }
    };
    await Promise.all(Array.from({ length: 8 }, (_, c) => client(c)));
    follower.stop();
    expect(statuses.length).toBeGreaterThanOrEqual(100);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(versions).toContain(1);
    expect(versions.at(-1)).toBe(2);
    expect(holder.current?.identity.version).toBe(2);
    expect(first?.isDisposed).toBe(true);
    // Rollback is one more promotion row; the follower goes back.
    await repos.models.rollback(name, 1, "test");
    await follower.refresh();
    expect(holder.current?.identity.version).toBe(1);
  });
});
