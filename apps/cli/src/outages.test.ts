// Recovery from outages and exhausted jobs, with real processes: a
// `drnn coordinator` and two `drnn worker`s on a PRIVATE PostgreSQL and a
// PRIVATE Redis that this test starts on free ports, stops and restarts
// (never the machine's own). For each fault the campaign must complete with
// every candidate holding exactly one result (completed, or failed with the
// reason) and nothing left queued or running, with no coordinator restart.
//  - Redis SIGKILLed mid-campaign, restarted empty (no persistence) 15 s later;
//  - PostgreSQL stopped with `pg_ctl stop -m immediate` for 45 s mid-campaign;
//  - one job's worker SIGKILLed three times: its attempts at the job run out
//    ("job stalled more than allowable limit") and the candidate ends failed.
// Simulated training (3 epochs of 1 s): the machinery is under test, not the model.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, createRepositories, type Candidate, type DbHandle, type Repositories } from "@drnn/db";
import { CliProcesses, cliEnv, lastJson, poller, runCli, type CliProcess } from "../../../test/cli.js";
import { privateServicesAvailable, startPrivatePostgres, startPrivateRedis, type PrivatePostgres, type PrivateRedis } from "../../../test/private-services.js";
import { prepareSyntheticDataset } from "./testing/synthetic-dataset.js";

const home = mkdtempSync(join(tmpdir(), "drnn-outage-"));
const missing = privateServicesAvailable();
let pg: PrivatePostgres;
let redis: PrivateRedis;
let db: DbHandle;
let repos: Repositories;
let env: Record<string, string>;

type Node = CliProcess;
const processes = new CliProcesses();
/** Started in the background: not waited on until it is ready. */
const spawnNode = (args: string[], extra: Record<string, string> = {}) => processes.spawn(args, { ...env, ...extra });
const start = (args: string[], extra: Record<string, string> = {}) => processes.start(args, { ...env, ...extra }, /ready|watching/);
const kill = (n: Node) => n.kill();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const until = poller({ timeoutMs: 120_000, pollMs: 100, tolerateErrors: true });

function launch(seed: number, budget: number): string {
  const r = runCli(["campaign", "launch", "--dataset", join(home, "ds"), "--strategy", "elitist", "--population", "4", "--generations", "3", "--budget", String(budget), "--seed", String(seed), "--json"], env);
  expect(r.status, r.stderr).toBe(0);
  return lastJson<{ campaignId: string }>(r.stdout).campaignId;
}

const rowsOf = (id: string) => repos.candidates.listByCampaign(id);
const completedCount = async (id: string) => (await rowsOf(id)).filter((c) => c.state === "completed").length;

/** Every candidate has exactly one result and nothing is left queued or running. */
async function expectSettled(id: string): Promise<Candidate[]> {
  await until(`campaign ${id} to complete`, async () => (await repos.campaigns.get(id)).state === "completed", 180_000);
  const rows = await rowsOf(id);
  expect(new Set(rows.map((r) => r.hash)).size).toBe(rows.length);
  expect(rows.filter((r) => r.state === "queued" || r.state === "running" || r.state === "cancelled")).toEqual([]);
  for (const r of rows.filter((x) => x.state === "completed")) expect(await repos.epochs.list(r.id)).toHaveLength(3);
  return rows;
}

/** A stack trace: printed on lines of its own, or inside a JSON log line's "stack" field. */
const STACK = /^\s+at |"stack":/;
const lines = (n: Node, pattern: RegExp) => n.stderr().split("\n").filter((l) => pattern.test(l));

beforeAll(async () => {
  if (missing) return;
  [pg, redis] = await Promise.all([startPrivatePostgres(), startPrivateRedis()]);
  env = cliEnv({
    DATABASE_URL: pg.url,
    REDIS_URL: redis.url,
    DRNN_QUEUE_PREFIX: "outage",
    DRNN_TRAINER: "simulated",
    DRNN_SIMULATED_EPOCH_MS: "1000",
    DRNN_LEASE_MS: "5000",
    DRNN_JOB_LOCK_MS: "2000",
    DRNN_HOME: home,
    DRNN_ARTIFACTS_DIR: join(home, "artifacts"),
  });
  await prepareSyntheticDataset(home, { sessions: 300, seed: 2 });
  db = createDb(pg.url);
  repos = createRepositories(db.prisma);
}, 120_000);

afterAll(async () => {
  await processes.killAll();
  await db?.close();
  await redis?.close();
  pg?.close();
});

describe.skipIf(missing !== null)("outages with a coordinator and two workers (private PostgreSQL and Redis)", () => {
  let coordinator: Node;
  let workers: Node[];

  it("starts the nodes", async () => {
    [coordinator, ...workers] = await Promise.all([start(["coordinator"]), start(["worker"]), start(["worker"])]);
  }, 60_000);

  it("survives Redis killed mid-campaign and restarted empty 15 s later", async () => {
    const id = launch(21, 12);
    await until("three results", async () => (await completedCount(id)) >= 3);
    const t0 = Date.now();
    await redis.kill();
    await sleep(15_000);
    await redis.start();
    const rows = await expectSettled(id);
    console.log(`redis: ${rows.length} candidates, ${rows.filter((r) => r.state === "completed").length} completed, ${rows.filter((r) => r.state === "failed").length} failed; complete ${((Date.now() - t0) / 1000).toFixed(1)} s after the kill`);
    expect(rows.every((r) => r.state === "completed")).toBe(true);
    // One line when Redis went, one when it was back; no stack trace per retry.
    expect(lines(coordinator, /Redis at .* unavailable/)).toHaveLength(1);
    expect(lines(coordinator, /Redis at .* back after/)).toHaveLength(1);
    expect(lines(coordinator, STACK)).toEqual([]);
    // The workers too: one warning each way per connection, no stack trace per retry.
    for (const w of workers) {
      expect(lines(w, /Redis at .* unavailable/)).toHaveLength(1);
      expect(lines(w, STACK)).toEqual([]);
    }
  }, 240_000);

  it("survives PostgreSQL stopped (pg_ctl stop -m immediate) for 45 s mid-campaign", async () => {
    const id = launch(22, 12);
    await until("three results", async () => (await completedCount(id)) >= 3);
    const t0 = Date.now();
    pg.stop();
    await sleep(45_000);
    pg.start();
    const rows = await expectSettled(id);
    console.log(`postgres: ${rows.length} candidates, ${rows.filter((r) => r.state === "completed").length} completed, ${rows.filter((r) => r.state === "failed").length} failed; complete ${((Date.now() - t0) / 1000).toFixed(1)} s after the stop`);
    expect(rows.every((r) => r.state === "completed")).toBe(true);
    expect(lines(coordinator, /PostgreSQL unavailable/)).toHaveLength(1);
    expect(lines(coordinator, /PostgreSQL back after/)).toHaveLength(1);
    expect(lines(coordinator, STACK)).toEqual([]);
    for (const w of workers) expect(lines(w, STACK)).toEqual([]);
  }, 240_000);

  it("fails a candidate whose worker is killed three times, with the reason, and completes the campaign", async () => {
    // Longer epochs here, so the victim is caught running on each of its deliveries.
    const slow = { DRNN_SIMULATED_EPOCH_MS: "2500" };
    await Promise.all(workers.map(kill));
    workers = await Promise.all([start(["worker"], slow), start(["worker"], slow)]);
    const id = launch(23, 8);
    const victim = await until("a running candidate", async () => (await rowsOf(id)).find((c) => c.state === "running"));
    for (let kills = 0; kills < 3; kills++) {
      // Running on a live worker: right after a kill the row still names the dead one until the job is redelivered.
      const holder = await until(`the victim running on a live worker (kill ${kills + 1})`, async () => {
        const c = await repos.candidates.get(victim.id);
        return c.state === "running" ? workers.find((w) => w.child.exitCode === null && c.workerId?.includes(`-${w.child.pid}-`)) : undefined;
      });
      await kill(holder);
      // The replacement starts in the background; the job goes to the other worker meanwhile.
      workers = [...workers.filter((w) => w !== holder), spawnNode(["worker"], slow)];
    }
    const rows = await expectSettled(id);
    const failed = rows.find((r) => r.id === victim.id);
    console.log(`exhausted: ${rows.length} candidates, victim ${failed?.state}: ${failed?.error}`);
    expect(failed?.state).toBe("failed");
    expect(failed?.error).toMatch(/stalled more than allowable limit/);
    expect(rows.filter((r) => r.id !== victim.id).every((r) => r.state === "completed")).toBe(true);
  }, 240_000);
});
