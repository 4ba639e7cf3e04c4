// SIGTERM to a busy `drnn worker` (real processes on the run's PostgreSQL
// and Redis): it stops taking jobs, gives its running job DRNN_DRAIN_MS to
// finish, and since the job needs longer, hands it back to the queue
// (waiting again, no attempt used up) and exits. A second worker then
// re-runs it once: the candidate ends with one result, trained on the second
// worker, its epochs written once each; nothing is lost or run twice. The
// coordinator's /metrics (--metrics-port) shows the handed-back job waiting;
// SIGTERM to the coordinator then releases the campaign's lease, and a new
// coordinator finishes the campaign.
// Simulated training (4 epochs of 700 ms): the machinery is under test.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createTestDatabase, dropTestDatabase, ownDatabaseName } from "../../../test/services.js";
import { CliProcesses, cliEnv, lastJson, poller, runCli } from "../../../test/cli.js";
import { createDb, createRepositories, type DbHandle, type Repositories } from "@drnn/db";
import { createRedis, fitnessJobId, FitnessQueue } from "@drnn/queue";
import { prepareSyntheticDataset } from "./testing/synthetic-dataset.js";

const home = mkdtempSync(join(tmpdir(), "drnn-drain-"));
const prefix = `${inject("queuePrefix")}-drain`;
const env = cliEnv({
  // Set in beforeAll: a database of this file's own, so no other file's coordinator takes its campaigns, nor its theirs.
  DATABASE_URL: "",
  REDIS_URL: inject("redisUrl"),
  DRNN_QUEUE_PREFIX: prefix,
  DRNN_TRAINER: "simulated",
  DRNN_SIMULATED_EPOCH_MS: "700",
  DRNN_SIMULATED_EPOCHS: "4",
  DRNN_DRAIN_MS: "300",
  DRNN_LEASE_MS: "3000",
  DRNN_HOME: home,
});

const processes = new CliProcesses();
let db: DbHandle;
let repos: Repositories;

/** A `drnn` process; resolves once a log line matches `ready`. */
const start = (args: string[], ready: RegExp) => processes.start(args, env, ready);
const until = poller({ timeoutMs: 60_000, pollMs: 50 });

beforeAll(async () => {
  await prepareSyntheticDataset(home, { sessions: 200, seed: 4 });
  env["DATABASE_URL"] = await createTestDatabase(inject("databaseUrl"), ownDatabaseName(inject("databaseUrl"), "drain"));
  db = createDb(env["DATABASE_URL"]);
  repos = createRepositories(db.prisma);
}, 60_000);

afterAll(async () => {
  await processes.killAll();
  await db.close();
  await dropTestDatabase(inject("databaseUrl"), env["DATABASE_URL"] ?? "");
});

describe("SIGTERM to a busy worker", () => {
  it("hands its job back within the grace period; another worker re-runs it once", async () => {
    const w1 = await start(["worker"], /ready/);
    const launched = runCli(["campaign", "launch", "--dataset", join(home, "ds"), "--strategy", "random", "--population", "2", "--generations", "1", "--budget", "2", "--seed", "5", "--json"], env);
    expect(launched.status, launched.stderr).toBe(0);
    const { campaignId } = lastJson<{ campaignId: string }>(launched.stdout);
    const coordinator = await start(["coordinator", "--metrics-port", "0"], /watching/);
    const metricsUrl = coordinator.lines().find((l) => l["msg"] === "metrics endpoint listening")?.["url"] as string;

    const victim = await until("a job training on worker 1", async () => (await repos.candidates.listByCampaign(campaignId)).find((c) => c.state === "running" && c.workerId?.includes(`-${w1.child.pid}-`)));
    await until("its first epoch", async () => (await repos.epochs.list(victim.id)).length >= 1);
    const sent = Date.now();
    w1.child.kill("SIGTERM");
    const { code } = await w1.exited;
    const stopMs = Date.now() - sent;
    console.log(`worker 1 exited ${code} ${stopMs} ms after SIGTERM`);
    expect(code).toBe(0);
    // The grace period (300 ms) plus closing the connections, well before the job would have finished (4 x 700 ms).
    expect(stopMs).toBeLessThan(2500);

    const handBack = w1.lines().find((l) => l["msg"] === "job handed back to the queue (worker shutting down)");
    expect(handBack).toMatchObject({ name: "drnn-worker", jobId: fitnessJobId(campaignId, victim.hash), candidateId: victim.id, campaignId, workerId: victim.workerId });
    expect(w1.lines().find((l) => String(l["msg"]).startsWith("worker stopped"))).toMatchObject({ running: 1, handedBack: 1 });

    // Back in the queue as waiting, with no attempt used up, and the candidate queued again.
    const connection = createRedis(inject("redisUrl"));
    const queue = new FitnessQueue(connection, { redisUrl: inject("redisUrl"), prefix }).queue;
    try {
      const job = await queue.getJob(fitnessJobId(campaignId, victim.hash));
      expect(await job?.getState()).toBe("waiting");
      expect(job?.attemptsMade).toBe(0);
      expect((await repos.candidates.get(victim.id)).state).toBe("queued");
      const scraped = await (await fetch(metricsUrl)).text();
      expect(Number(/bullmq_job_count\{queue="fitness", state="waiting"\} (\d+)/.exec(scraped)?.[1])).toBeGreaterThanOrEqual(1);

      // SIGTERM to the coordinator mid-campaign: it releases the campaign's lease, logs it, and exits.
      coordinator.child.kill("SIGTERM");
      expect((await coordinator.exited).code).toBe(0);
      expect(coordinator.lines().filter((l) => l["msg"] === "campaign lease released")).toMatchObject([{ campaignId, outcome: "stopped", coordinator: expect.stringMatching(/^coordinator-/) }]);
      expect((await repos.campaigns.get(campaignId)).leaseOwner).toBeNull();

      await start(["coordinator"], /watching/);
      const w2 = await start(["worker"], /ready/);
      await until("the campaign to complete", async () => (await repos.campaigns.get(campaignId)).state === "completed", 60_000);
      const done = await repos.candidates.get(victim.id);
      expect(done.state).toBe("completed");
      expect(done.attempts).toBe(2);
      expect(done.workerId).toContain(`-${w2.child.pid}-`);
      expect((await repos.epochs.list(victim.id)).map((e) => e.epoch)).toEqual([1, 2, 3, 4]);
      const finished = await queue.getJob(fitnessJobId(campaignId, victim.hash));
      expect(await finished?.getState()).toBe("completed");
      expect(finished?.attemptsMade).toBe(1);
      // Worker 2 ran the victim's job once: one "started" per job it took.
      const rows = await repos.candidates.listByCampaign(campaignId);
      expect(rows.every((r) => r.state === "completed")).toBe(true);
      expect(rows.filter((r) => r.id !== victim.id).every((r) => r.attempts === 1)).toBe(true);
    } finally {
      await queue.close();
      connection.disconnect();
    }
  }, 120_000);
});
