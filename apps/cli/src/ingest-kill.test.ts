// `drnn ingest` through SIGKILLs, as deployed: the real CLI process on the
// test run's PostgreSQL and Redis, killed with SIGKILL three times at
// different points of a time-ordered shop log and started again each time.
// Every record must be counted once: the sessions stored (keys, first
// events, every record) equal those of one uninterrupted run over a copy of
// the log, each batch is cut once and has exactly one retraining job.
import { randomUUID } from "node:crypto";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb, createRepositories, type DbHandle, type OnlineSession, type Repositories } from "@drnn/db";
import { Rng } from "@drnn/contract";
import { synthesizeLog } from "@drnn/data";
import { createRedis, RetrainQueue } from "@drnn/queue";
import { CliProcesses, cliEnv, lastJson, poller, runCli, type CliProcess } from "../../../test/cli.js";

const home = mkdtempSync(join(tmpdir(), "drnn-ingest-kill-"));
const prefix = `${inject("queuePrefix")}-ingest`;
const env = cliEnv({ DATABASE_URL: inject("databaseUrl"), REDIS_URL: inject("redisUrl"), DRNN_QUEUE_PREFIX: prefix, DRNN_HOME: home });
const M = "40";
const processes = new CliProcesses();
let db: DbHandle;
let repos: Repositories;
const redis = createRedis(inject("redisUrl"));
let badLines = 0;

const ingest = (args: string[]) => processes.spawn(["ingest", ...args, "--batch-sessions", M, "--commit-lines", "150", "--json"], env);

/** Its exit, with everything it wrote to stdout. */
async function exited(p: CliProcess): Promise<{ code: number | null; signal: string | null; stdout: string }> {
  return { ...(await p.exited), stdout: p.stdout() };
}

const until = poller({ timeoutMs: 120_000, pollMs: 15 });

beforeAll(async () => {
  // A live log is in time order; three malformed lines are mixed in.
  const records = [...synthesizeLog({ sessions: 2500, seed: 11 })].sort((a, b) => a.timestamp - b.timestamp);
  const lines = records.map((r) => JSON.stringify(r));
  for (const at of [100, 5000, 12000]) lines.splice(at, 0, at === 5000 ? '{"timestamp":"soon","event":"view"}' : "{cut off");
  badLines = 3;
  writeFileSync(join(home, "live.jsonl"), lines.join("\n") + "\n");
  copyFileSync(join(home, "live.jsonl"), join(home, "reference.jsonl"));
  db = createDb(inject("databaseUrl"));
  repos = createRepositories(db.prisma);
}, 60_000);

afterAll(async () => {
  await processes.killAll();
  const queue = new RetrainQueue(redis, { redisUrl: inject("redisUrl"), prefix });
  await queue.queue.obliterate({ force: true });
  await queue.close();
  redis.disconnect();
  await db.close();
  rmSync(home, { recursive: true, force: true });
});

const view = (rows: OnlineSession[]) => rows.map((s) => JSON.stringify([s.sourceKey, s.firstEventAt.getTime(), s.lastEventAt.getTime(), s.hasPurchase, s.records])).sort();

describe("drnn ingest killed with SIGKILL mid-stream", () => {
  it("counts every record once across three kills and restarts, and cuts every batch once", async () => {
    const ref = `ref-${randomUUID()}`;
    const reference = await exited(ingest([join(home, "reference.jsonl"), "--model", ref]));
    expect(reference.code).toBe(0);
    const refSummary = lastJson<Record<string, number>>(reference.stdout);
    expect(refSummary).toMatchObject({ badLines });

    const live = join(home, "live.jsonl");
    const size = statSync(live).size;
    const model = `live-${randomUUID()}`;
    const positions: number[] = [];
    const rng = Rng.fromSeed(16);
    for (const fraction of [0.15, 0.45, 0.8]) {
      const proc = ingest([live, "--follow", "--model", model]);
      const done = exited(proc);
      const at = await until(`the cursor past ${fraction} of the log`, async () => {
        const c = await repos.ingest.cursor(live);
        return c !== null && Number(c.position) >= fraction * size && Number(c.position);
      });
      // A little after the commit was seen, so the kill lands anywhere: reading, committing, cutting a batch, enqueuing.
      await new Promise((r) => setTimeout(r, rng.int(0, 150)));
      proc.child.kill("SIGKILL");
      expect((await done).signal).toBe("SIGKILL");
      positions.push(Number((await repos.ingest.cursor(live))?.position ?? 0));
      expect(at).toBeLessThan(size);
    }
    // Each restart went on from its predecessor's commit: the cursor only moved forward, and never reached the end.
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(positions.every((p) => p < size)).toBe(true);
    const last = await exited(ingest([live, "--model", model]));
    expect(last.code).toBe(0);
    const summary = lastJson<{ resumedAt: { byte: number }; position: number; openSessions: number }>(last.stdout);
    expect(summary.resumedAt.byte).toBe(positions[2]);
    expect(summary).toMatchObject({ position: size, openSessions: 0 });

    const [got, want] = [await repos.onlineSessions.list(model), await repos.onlineSessions.list(ref)];
    expect(got.length).toBe(want.length);
    expect(view(got)).toEqual(view(want));
    const recordsIn = (rows: OnlineSession[]) => rows.reduce((n, s) => n + (s.records as unknown[]).length, 0);
    // Every valid line's record is in a stored session, but for groups without a page view (not sessions, as in data prepare).
    expect(recordsIn(got)).toBe((refSummary["records"] ?? -1) - (refSummary["droppedRecords"] ?? 0));
    expect((refSummary["records"] ?? 0) + badLines).toBe(refSummary["lines"]);

    const [batches, refBatches] = [await repos.onlineBatches.list(model), await repos.onlineBatches.list(ref)];
    expect(batches.length).toBe(refBatches.length);
    expect(batches.length).toBeGreaterThan(5);
    expect(batches.map((b) => b.seq)).toEqual(batches.map((_, i) => i + 1));
    const batched = got.filter((s) => s.batchId !== null);
    expect(batched.length).toBe(batches.length * Number(M));
    expect(new Set(batched.map((s) => s.batchId))).toEqual(new Set(batches.map((b) => b.id)));
    const queue = new RetrainQueue(redis, { redisUrl: inject("redisUrl"), prefix });
    const jobs = await queue.queue.getJobs(["waiting", "delayed", "active", "completed", "failed"]);
    await queue.close();
    const liveJobs = jobs.filter((j) => j.data.modelName === model).map((j) => j.id).sort();
    expect(liveJobs).toEqual(batches.map((b) => b.id).sort());
    process.stdout.write(`ingest kill test: ${size} bytes, killed at bytes ${positions.join(", ")}; ${got.length} sessions, ${recordsIn(got)} records, ${batches.length} batches of ${M}, as the uninterrupted run\n`);
  }, 300_000);

  it("answers a missing file and a wrong format in one line", () => {
    const missing = runCli(["ingest", join(home, "nope.jsonl")], env);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/cannot open .*nope\.jsonl/);
    writeFileSync(join(home, "wrong.csv"), "a,b\n1,2\n");
    const wrong = runCli(["ingest", join(home, "wrong.csv")], env);
    expect(wrong.status).not.toBe(0);
    expect(wrong.stderr).toMatch(/not in the csv log records .* format: header is "a,b"/);
    expect(readFileSync(join(home, "wrong.csv"), "utf8")).toBe("a,b\n1,2\n");
  });
});
