// The retrain half through kills, as deployed: PostgreSQL + Redis and a real
// `drnn online worker` process. Three batches wait on the drnn-retrain
// queue; the worker is SIGKILLed while it trains the first and again while
// it promotes the second (after the guard's verdict, storing the candidate
// and recording the decision), and restarted each time. Every batch must end
// decided with exactly one decision, every version must come from exactly
// one decision (nothing half-written), and the live lineage must hold each
// batch once: every batch trained on once.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb, createRepositories, type DbHandle, type Repositories } from "@drnn/db";
import { shopSessions } from "@drnn/data";
import { selectBackend } from "@drnn/model";
import { trainFirstVersion } from "@drnn/online";
import { createRedis, RetrainQueue } from "@drnn/queue";
import { createTestDatabase, dropTestDatabase, ownDatabaseName, withDatabase } from "../../../test/services.js";
import { CliProcesses, cliEnv, poller } from "../../../test/cli.js";

const home = mkdtempSync(join(tmpdir(), "drnn-online-kill-"));
const NAME = "kill-test";
// A database of its own: the worker's reconcile pass takes every model's waiting batches, other test files' too.
const databaseUrl = ownDatabaseName(inject("databaseUrl"), "online_kill");
const env = cliEnv({
  DATABASE_URL: withDatabase(inject("databaseUrl"), databaseUrl),
  REDIS_URL: inject("redisUrl"),
  DRNN_QUEUE_PREFIX: `${inject("queuePrefix")}-online-kill`,
  DRNN_JOB_LOCK_MS: "2000",
  DRNN_HOME: home,
  DRNN_ARTIFACTS_DIR: join(home, "artifacts"),
  DRNN_BACKEND: "wasm",
});
const SMALL = { w: 3, l: 1, h: 1, neurons: [24], learningRate: 0.03, optimizer: "adam", activation: "tanh", loss: "softmax", batchSize: 16, init: "xavier", history: true, fnnLayers: 0, fnnNeurons: 4, dropout: 0, pointer: true } as const;
const processes = new CliProcesses();
/** Everything the workers logged. */
const logged = () => processes.all.map((p) => p.stderr()).join("");
let db: DbHandle;
let repos: Repositories;

/** A worker process; `ready(re)` resolves once it has logged a line matching `re`. */
const worker = () => processes.spawn(["online", "worker", "--epochs", "3"], env);
const until = poller({ timeoutMs: 150_000, pollMs: 100 });

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
  await processes.killAll();
  await db?.close();
  await dropTestDatabase(inject("databaseUrl"), env.DATABASE_URL);
});

describe("drnn online worker through SIGKILLs", () => {
  it("trains every batch once and decides it once, killed while training and while promoting", async () => {
    const [b1, b2, b3] = await repos.onlineBatches.list(NAME);
    if (!b1 || !b2 || !b3) throw new Error("expected three batches");

    const w1 = worker();
    await w1.ready(new RegExp(`batch ${b1.id} \\(#1\\): epoch 1 `));
    await w1.kill();
    expect((await repos.onlineBatches.get(b1.id)).state).toBe("training");
    expect(await repos.decisions.forBatch(b1.id)).toBeNull();

    const w2 = worker();
    await w2.ready(new RegExp(`batch ${b2.id} \\(#2\\): promoting\\?`));
    await w2.kill();

    const w3 = worker();
    await until("every batch decided", async () => (await repos.onlineBatches.list(NAME)).every((b) => b.state === "decided"));
    await w3.kill();

    // The batch killed in training ran again under the lock and was not skipped.
    expect(logged()).toMatch(new RegExp(`batch ${b1.id} \\(#1\\) was left training by a retrain that died`));
    expect(logged().match(new RegExp(`batch ${b1.id} \\(#1\\): decided`, "g"))).toHaveLength(1);
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
