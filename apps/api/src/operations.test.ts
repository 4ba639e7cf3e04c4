// The api app as apps/api starts it (startApi), on a database of its own and
// the run's Redis: /healthz, /readyz naming each check (and 503 over a
// database whose migrations are not applied), /metrics with both queues'
// counts as BullMQ exports them moving when a job is queued, and the queue
// view for write tokens only.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb, createRepositories } from "@drnn/db";
import { silentLogger } from "@drnn/ops";
import { createRedis, FitnessQueue } from "@drnn/queue";
import type { RunningApi } from "@drnn/http-api";
import { createEmptyTestDatabase, createTestDatabase, dropTestDatabase, ownDatabaseName, withDatabase } from "../../../test/services.js";
import { loadConfig } from "./config.js";
import { startApi } from "./server.js";

const runUrl = inject("databaseUrl");
const base = ownDatabaseName(runUrl, "apiops");
const prefix = `${inject("queuePrefix")}-apiops`;
let databaseUrl = "";
const emptyUrl = withDatabase(runUrl, `${base}_empty`);
const opened: RunningApi[] = [];

function open(url: string): Promise<RunningApi> {
  const config = loadConfig({ DATABASE_URL: url, REDIS_URL: inject("redisUrl"), DRNN_QUEUE_PREFIX: prefix, API_PORT: "0", API_RUN_COORDINATOR: "false", API_DASHBOARD_DIR: "/nowhere" });
  return startApi(config, silentLogger()).then((api) => (opened.push(api), api));
}

const counts = (text: string, queue: string) => Object.fromEntries([...text.matchAll(new RegExp(`^bullmq_job_count\\{queue="${queue}", state="(\\w+)"\\} (\\d+)$`, "gm"))].map((m) => [m[1], Number(m[2])]));

beforeAll(async () => {
  databaseUrl = await createTestDatabase(runUrl, base);
  await createEmptyTestDatabase(runUrl, `${base}_empty`);
});

afterAll(async () => {
  for (const api of opened) await api.close();
  await dropTestDatabase(runUrl, databaseUrl);
  await dropTestDatabase(runUrl, emptyUrl);
});

describe("the api's operator endpoints", () => {
  it("answers health, readiness, metrics with both queues' counts, and the queue view to write tokens only", async () => {
    const api = await open(databaseUrl);
    expect(await (await fetch(`${api.url}/healthz`)).json()).toEqual({ ok: true });
    const ready = await fetch(`${api.url}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([200, { ready: true, checks: { postgresql: null, migrations: null, redis: null } }]);

    const before = await (await fetch(`${api.url}/metrics`)).text();
    expect(counts(before, "fitness")).toMatchObject({ waiting: 0, active: 0, failed: 0, delayed: 0 });
    expect(counts(before, "drnn-retrain")).toMatchObject({ waiting: 0 });
    expect(before).toContain("process_cpu_seconds_total");
    const connection = createRedis(inject("redisUrl"));
    const queue = new FitnessQueue(connection, { redisUrl: inject("redisUrl"), prefix });
    try {
      await queue.enqueue({
        campaignId: randomUUID(),
        candidateId: randomUUID(),
        hash: "ab12",
        chromosome: { w: 4 },
        dataset: { id: randomUUID(), contentHash: "sha256:x", location: "/nowhere" },
        training: { policy: "patience", maxEpochs: 2, pi: 0, patience: 2, unsettledFitness: 0, pruning: null, seed: 1 },
      });
      expect(counts(await (await fetch(`${api.url}/metrics`)).text(), "fitness")).toMatchObject({ waiting: 1 });
    } finally {
      await queue.queue.obliterate({ force: true });
      await queue.close();
      connection.disconnect();
    }

    const tokenDb = createDb(databaseUrl);
    const repos = createRepositories(tokenDb.prisma);
    const write = (await repos.tokens.create("ops-write", ["write"])).token;
    const read = (await repos.tokens.create("ops-read", ["read"])).token;
    await tokenDb.close();
    expect((await fetch(`${api.url}/admin/queues`)).status).toBe(401);
    expect((await fetch(`${api.url}/admin/queues`, { headers: { authorization: `Basic ${Buffer.from(`x:${read}`).toString("base64")}` } })).status).toBe(403);
    expect((await fetch(`${api.url}/admin/queues`, { headers: { authorization: "Bearer drnn_nope" } })).status).toBe(401);
    const listed = (await (await fetch(`${api.url}/admin/queues/api/queues`, { headers: { authorization: `Bearer ${write}` } })).json()) as { queues: { name: string }[] };
    expect(listed.queues.map((q) => q.name).sort()).toEqual(["drnn-retrain", "fitness"]);
  });

  it("is alive but not ready over a database whose migrations are not applied", async () => {
    const api = await open(emptyUrl);
    expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${api.url}/readyz`);
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { ready: boolean; checks: Record<string, string | null> };
    expect(body.ready).toBe(false);
    expect(body.checks["postgresql"]).toBeNull();
    expect(body.checks["redis"]).toBeNull();
    expect(body.checks["migrations"]).toMatch(/^migrations not applied: \d+ pending; run 'drnn db deploy'$/);
  });
});
