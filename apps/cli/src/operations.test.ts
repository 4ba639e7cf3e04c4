// What an operator sees, with real processes on the run's PostgreSQL and
// Redis: `drnn api` (coordinator on BullMQ) and a `drnn worker
// --metrics-port 0` run a small campaign with the real trainer on tiny
// shapes while both /metrics endpoints are scraped every 250 ms; the queue,
// evaluation, epoch and throughput series must move during the run. Then
// the best candidate is promoted and `drnn serve` takes a bounded load
// (300 page views over 25 sessions, 4 at a time) while its /metrics is
// scraped: the latency histogram counts every request by status and the
// session gauge counts the sessions. Also: /healthz, /readyz, the queue view
// for write tokens only, and SIGTERM stopping serve with its log lines.
import { get } from "node:http";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createTestDatabase, dropTestDatabase, ownDatabaseName } from "../../../test/services.js";
import { CliProcesses, cliEnv, runCliJson, type CliProcess } from "../../../test/cli.js";
import { writeTinySpace } from "./testing/tiny-space.js";
import { createDb, createRepositories, type DbHandle, type Repositories } from "@drnn/db";
import { prepareSyntheticDataset } from "./testing/synthetic-dataset.js";

const home = mkdtempSync(join(tmpdir(), "drnn-ops-"));
const env = cliEnv({
  // Set in beforeAll: a database of this file's own, so no other file's coordinator takes its campaigns, nor its theirs.
  DATABASE_URL: "",
  REDIS_URL: inject("redisUrl"),
  DRNN_QUEUE_PREFIX: `${inject("queuePrefix")}-ops`,
  DRNN_LEASE_MS: "3000",
  DRNN_HOME: home,
  DRNN_ARTIFACTS_DIR: join(home, "artifacts"),
  DRNN_SERVE_POLL_MS: "200",
  DRNN_DRAIN_MS: "2000",
});

const processes = new CliProcesses();
let db: DbHandle;
let repos: Repositories;

const start = (args: string[], ready: RegExp) => processes.start(args, env, ready);
const drnn = (args: string[]) => runCliJson(args, env, 120_000);
const exitCode = async (n: CliProcess) => (await n.exited).code;

/** The value of one series in a scrape (0 when absent): `name{labels}` matched as written. */
function value(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

/**
 * GET /metrics on a connection of its own, as Prometheus scrapes: a pooled
 * keep-alive connection can be closed by the server just as it is reused
 * when a loop iteration outlasts the server's keep-alive timeout under load.
 */
function scrape(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`${url}: ${res.statusCode} ${body}`))));
    }).on("error", reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  await prepareSyntheticDataset(home, { sessions: 300, seed: 8 });
  env["DATABASE_URL"] = await createTestDatabase(inject("databaseUrl"), ownDatabaseName(inject("databaseUrl"), "ops"));
  db = createDb(env["DATABASE_URL"]);
  repos = createRepositories(db.prisma);
}, 60_000);

afterAll(async () => {
  // A node that died on its own: its last lines say why.
  for (const n of processes.all) if (n.child.exitCode !== null && n.child.exitCode !== 0) console.log(`exited ${n.child.exitCode}:`, n.lines().slice(-5));
  await processes.killAll();
  await db.close();
  await dropTestDatabase(inject("databaseUrl"), env["DATABASE_URL"] ?? "");
});

let campaignId = "";

describe("metrics, health and the queue view", () => {
  it("scrapes the api's and a worker's /metrics during a campaign and finds the series moving", async () => {
    const api = await start(["api", "--port", "0", "--dashboard", join(home, "no-dashboard")], /drnn api on http/);
    const apiUrl = api.lines().find((l) => typeof l["url"] === "string" && String(l["msg"]).startsWith("drnn api on"))?.["url"] as string;
    const worker = await start(["worker", "--metrics-port", "0"], /ready/);
    const workerMetrics = worker.lines().find((l) => l["msg"] === "metrics endpoint listening")?.["url"] as string;

    expect(await (await fetch(`${apiUrl}/healthz`)).json()).toEqual({ ok: true });
    const ready = await fetch(`${apiUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, checks: { postgresql: null, migrations: null, redis: null } });

    const launched = drnn(["campaign", "launch", "--dataset", join(home, "ds"), "--strategy", "random", "--population", "3", "--generations", "1", "--budget", "3", "--max-epochs", "5", "--pi", "0", "--patience", "10", "--seed", "4", "--search-space", writeTinySpace(home)]);
    campaignId = launched.campaignId as string;
    const scrapes: { api: string; worker: string }[] = [];
    const deadline = Date.now() + 240_000;
    while (Date.now() < deadline) {
      scrapes.push({ api: await scrape(`${apiUrl}/metrics`), worker: await scrape(workerMetrics) });
      if (["completed", "failed"].includes((await repos.campaigns.get(campaignId)).state)) break;
      await sleep(250);
    }
    scrapes.push({ api: await scrape(`${apiUrl}/metrics`), worker: await scrape(workerMetrics) });
    const rows = await repos.candidates.listByCampaign(campaignId);
    expect((await repos.campaigns.get(campaignId)).state, JSON.stringify(rows.map((r) => r.error))).toBe("completed");
    const backend = rows[0]?.backend as string;
    const series = (s: { api: string; worker: string }) => ({
      queued: value(s.api, 'bullmq_job_count{queue="fitness", state="waiting"}') + value(s.api, 'bullmq_job_count{queue="fitness", state="active"}'),
      campaigns: value(s.api, "drnn_coordinator_campaigns_running"),
      started: value(s.worker, `drnn_evaluations_started_total{backend="${backend}"}`),
      completed: value(s.worker, `drnn_evaluations_finished_total{backend="${backend}",outcome="completed"}`),
      epochs: value(s.worker, `drnn_epoch_seconds_count{backend="${backend}"}`),
      samples: value(s.worker, `drnn_training_samples_total{backend="${backend}"}`),
      rate: value(s.worker, `drnn_training_samples_per_second{backend="${backend}"}`),
    });
    const seen = scrapes.map(series);
    const last = seen[seen.length - 1];
    console.log(`${scrapes.length} scrapes; backend ${backend}; first ${JSON.stringify(seen[0])}; last ${JSON.stringify(last)}`);
    // Moving during the run: jobs on the queue and a campaign held at some scrape, then none; counters rising from 0.
    expect(Math.max(...seen.map((s) => s.queued))).toBeGreaterThanOrEqual(1);
    expect(Math.max(...seen.map((s) => s.campaigns))).toBe(1);
    expect(last?.queued).toBe(0);
    expect(last?.campaigns).toBe(0);
    expect(new Set(seen.map((s) => s.epochs)).size).toBeGreaterThanOrEqual(3);
    expect(seen.some((s) => s.started > 0 && s.completed < rows.length)).toBe(true);
    expect(last).toMatchObject({ started: rows.length, completed: rows.length });
    const epochRows = (await Promise.all(rows.map((r) => repos.epochs.list(r.id)))).flat();
    expect(last?.epochs).toBe(epochRows.length);
    expect(last?.samples).toBeGreaterThan(0);
    expect(last?.rate).toBeGreaterThan(0);
    expect(scrapes[0]?.worker).toContain("process_resident_memory_bytes");
    expect(scrapes[0]?.api).toContain("nodejs_eventloop_lag_seconds");
    // BullMQ's own count of finished jobs (worker metrics on), in the api's scrape.
    expect(value(scrapes[scrapes.length - 1]?.api ?? "", 'bullmq_job_completed_total{queue="fitness"}')).toBe(rows.length);

    // The queue view: write tokens only, by bearer or as the Basic password a browser prompts for.
    const write = (await repos.tokens.create("ops-write", ["write"])).token;
    const read = (await repos.tokens.create("ops-read", ["read"])).token;
    const none = await fetch(`${apiUrl}/admin/queues`);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Basic realm="drnn queues"/);
    expect((await fetch(`${apiUrl}/admin/queues`, { headers: { authorization: `Bearer ${read}` } })).status).toBe(403);
    const page = await fetch(`${apiUrl}/admin/queues`, { headers: { authorization: `Basic ${Buffer.from(`ops:${write}`).toString("base64")}` } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("drnn queues");
    const listed = (await (await fetch(`${apiUrl}/admin/queues/api/queues`, { headers: { authorization: `Bearer ${write}` } })).json()) as { queues: { name: string; counts: Record<string, number> }[] };
    expect(listed.queues.map((q) => q.name).sort()).toEqual(["drnn-retrain", "fitness"]);

    for (const n of [api, worker]) n.child.kill("SIGTERM");
    expect(await Promise.all([api, worker].map(exitCode))).toEqual([0, 0]);
    expect(api.lines().filter((l) => l["msg"] === "campaign lease released")).toMatchObject([{ campaignId, outcome: "completed" }]);
  }, 300_000);

  it("scrapes serve's /metrics during a page-view load and finds latency and sessions moving", async () => {
    expect(campaignId).not.toBe("");
    drnn(["promote", "--campaign", campaignId]);
    const serve = await start(["serve", "--port", "0"], /serving \S+ on http/);
    const url = serve.lines().find((l) => String(l["msg"]).startsWith("serving "))?.["url"] as string;
    const ready = (await (await fetch(`${url}/readyz`)).json()) as { ready: boolean; checks: Record<string, string | null> };
    expect(ready).toMatchObject({ ready: true, checks: { postgresql: null, migrations: null, redis: null } });
    const route = '{route="/v1/page-views",status="200"}';
    const before = await scrape(`${url}/metrics`);
    expect(value(before, `drnn_serving_request_duration_seconds_count${route}`)).toBe(0);

    const statuses: number[] = [];
    let sent = 0;
    const client = async (c: number) => {
      while (sent < 300) {
        const i = sent++;
        const res = await fetch(`${url}/v1/page-views`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ sessionId: `load-${(i + c) % 25}`, page: `/p/${i % 40}` }) });
        statuses.push(res.status);
        await res.arrayBuffer();
      }
    };
    const during: string[] = [];
    const load = Promise.all([0, 1, 2, 3].map(client));
    const scraper = (async () => {
      while (sent < 300) {
        during.push(await scrape(`${url}/metrics`));
        await sleep(100);
      }
    })();
    await Promise.all([load, scraper]);
    const bad = await fetch(`${url}/v1/page-views`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ sessionId: "x" }) });
    expect(bad.status).toBe(400);
    const after = await scrape(`${url}/metrics`);
    const counts = during.map((t) => value(t, `drnn_serving_request_duration_seconds_count${route}`));
    console.log(`serving: ${during.length} scrapes during the load, counts ${counts.join(",")}; after ${value(after, `drnn_serving_request_duration_seconds_count${route}`)}`);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(new Set(counts).size).toBeGreaterThanOrEqual(2);
    expect(value(after, `drnn_serving_request_duration_seconds_count${route}`)).toBe(300);
    expect(value(after, 'drnn_serving_request_duration_seconds_count{route="/v1/page-views",status="400"}')).toBe(1);
    expect(value(after, `drnn_serving_request_duration_seconds_bucket{le="+Inf",route="/v1/page-views",status="200"}`)).toBe(300);
    // The 25 sessions of the load; the malformed view stored nothing.
    expect(value(after, "drnn_serving_sessions")).toBe(25);
    expect(Math.max(...during.map((t) => value(t, "drnn_serving_sessions")))).toBeGreaterThan(0);

    serve.child.kill("SIGTERM");
    expect(await exitCode(serve)).toBe(0);
    const msgs = serve.lines().map((l) => String(l["msg"]));
    expect(msgs.some((m) => m.startsWith("SIGTERM: no new connections"))).toBe(true);
    expect(serve.lines().find((l) => String(l["msg"]).startsWith("stopped:"))).toMatchObject({ cut: 0 });
  }, 180_000);
});
