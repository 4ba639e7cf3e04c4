// The retrain half through kills, as deployed: PostgreSQL + Redis and a real
// `drnn online worker` process. Three batches wait on the drnn-retrain
// queue; the worker is SIGKILLed while it trains the first and again while
// it promotes the second (after the guard's verdict, storing the candidate
// and recording the decision), and restarted each time. Every batch must end
// decided with exactly one decision, every version must come from exactly
// one decision (nothing half-written), and the live lineage must hold each
// batch once: every batch trained on once.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb, createRepositories, type DbHandle, type Repositories } from "@drnn/db";
import { shopSessions } from "@drnn/data";
import { selectBackend } from "@drnn/model";
import { trainFirstVersion } from "@drnn/online";
import { createRedis, RetrainQueue } from "@drnn/queue";
import { createTestDatabase, dropTestDatabase, withDatabase } from "../../../test/services.js";

const main = fileURLToPath(new URL("./main.ts", import.meta.url));
const home = mkdtempSync(join(tmpdir(), "drnn-online-kill-"));
const NAME = "kill-test";
// A database of its own: the worker's reconcile pass takes every model's waiting batches, other test files' too.
const databaseUrl = `${new URL(inject("databaseUrl")).pathname.slice(1)}_online_kill_${randomBytes(3).toString("hex")}`;
const env = {
  PATH: process.env["PATH"] ?? "",
  HOME: process.env["HOME"] ?? "/tmp",
  DATABASE_URL: withDatabase(inject("databaseUrl"), databaseUrl),
  REDIS_URL: inject("redisUrl"),
  DRNN_QUEUE_PREFIX: `${inject("queuePrefix")}-online-kill`,
  DRNN_JOB_LOCK_MS: "2000",
  DRNN_HOME: home,
  DRNN_ARTIFACTS_DIR: join(home, "artifacts"),
  DRNN_BACKEND: "wasm",
};
const SMALL = { w: 3, l: 1, h: 1, neurons: [24], learningRate: 0.03, optimizer: "adam", activation: "tanh", loss: "softmax", batchSize: 16, init: "xavier", history: true, fnnLayers: 0, fnnNeurons: 4, dropout: 0, pointer: true } as const;
const children: ChildProcess[] = [];
/** Everything the workers logged. */
let logged = "";
let db: DbHandle;
let repos: Repositories;

/** A worker process; resolves once it has logged a line matching `until`. */
function worker(): { child: ChildProcess; waitFor(re: RegExp): Promise<string> } {
  const child = spawn(process.execPath, ["--import", "tsx", main, "online", "worker", "--epochs", "3"], { env, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let err = "";
  const waiters: { re: RegExp; resolve: (line: string) => void }[] = [];
  child.stderr?.on("data", (chunk: Buffer) => {
    err += chunk.toString();
    logged += chunk.toString();
    for (const w of [...waiters]) {
      const m = w.re.exec(err);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m[0]);
      }
    }
  });
  return {
    child,
    waitFor: (re) =>
      new Promise((resolve, reject) => {
        waiters.push({ re, resolve });
        child.once("exit", (code) => reject(new Error(`worker exited ${code} before ${re}: ${err.slice(-3000)}`)));
      }),
  };
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

async function until<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 150_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  await selectBackend("wasm");
  await createTestDatabase(inject("databaseUrl"), databaseUrl);
  db = createDb(env.DATABASE_URL);
  repos = createRepositories(db.prisma);
  await trainFirstVersion(repos, { name: NAME, sessions: shopSessions(1, 200, { from: 0, to: 4 }, 0), chromosome: SMALL, rule: { policy: "paper", maxEpochs: 6, pi: 0, patience: 1, unsettledFitness: 0 }, seed: 3, artifactsDir: env.DRNN_ARTIFACTS_DIR });
  const sessions = shopSessions(2, 240, { from: 2, to: 7 }, 1000);
  const closed = sessions.map((s) => {
    const times = s.records.map((r) => r.timestamp);
    return { modelName: NAME, sourceKey: s.key, records: s.records as never, firstEventAt: new Date(Math.min(...times)), lastEventAt: new Date(Math.max(...times)), hasPurchase: true };
  });
  await repos.ingest.commit({ source: "kill-test", position: 240n, closed, open: [], removedOpenKeys: [] });
  const connection = createRedis(env.REDIS_URL);
  const queue = new RetrainQueue(connection, { redisUrl: env.REDIS_URL, prefix: env.DRNN_QUEUE_PREFIX });
  for (const b of await repos.onlineBatches.cutReady(NAME, 80)) await queue.enqueue({ batchId: b.id, modelName: NAME });
  await queue.close();
  connection.disconnect();
}, 120_000);

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  await db?.close();
  await dropTestDatabase(inject("databaseUrl"), env.DATABASE_URL);
});

describe("drnn online worker through SIGKILLs", () => {
  it("trains every batch once and decides it once, killed while training and while promoting", async () => {
    const [b1, b2, b3] = await repos.onlineBatches.list(NAME);
    if (!b1 || !b2 || !b3) throw new Error("expected three batches");

    const w1 = worker();
    await w1.waitFor(new RegExp(`batch ${b1.id} \\(#1\\): epoch 1 `));
    await killed(w1.child);
    expect((await repos.onlineBatches.get(b1.id)).state).toBe("training");
    expect(await repos.decisions.forBatch(b1.id)).toBeNull();

    const w2 = worker();
    await w2.waitFor(new RegExp(`batch ${b2.id} \\(#2\\): promoting\\?`));
    await killed(w2.child);

    const w3 = worker();
    await until("every batch decided", async () => (await repos.onlineBatches.list(NAME)).every((b) => b.state === "decided"));
    await killed(w3.child);

    // The batch killed in training ran again under the lock and was not skipped.
    expect(logged).toMatch(new RegExp(`batch ${b1.id} \\(#1\\) was left training by a retrain that died`));
    expect(logged.match(new RegExp(`batch ${b1.id} \\(#1\\): decided`, "g"))).toHaveLength(1);
    const decisions = await repos.decisions.list(NAME);
    expect(decisions.map((d) => d.batchId).sort()).toEqual([b1.id, b2.id, b3.id].sort());
    // Every version but the first came from exactly one decision: a kill left no orphan version behind.
    const versions = await repos.models.versions(NAME);
    expect(versions).toHaveLength(1 + decisions.length);
    expect(new Set(decisions.map((d) => d.candidateVersionId)).size).toBe(decisions.length);
    // Each candidate's lineage holds each batch once, its own last.
    for (const d of decisions) {
      expect(new Set(d.batchIds).size).toBe(d.batchIds.length);
      expect(d.batchIds[d.batchIds.length - 1]).toBe(d.batchId);
      expect(d.sessionCount).toBe(80 * d.batchIds.length);
    }
    const live = await repos.models.live(NAME);
    const liveDecision = decisions.find((d) => d.candidateVersionId === live?.id);
    if (liveDecision !== undefined) expect(liveDecision.batchIds.every((id) => [b1.id, b2.id, b3.id].includes(id))).toBe(true);
  }, 300_000);
});
