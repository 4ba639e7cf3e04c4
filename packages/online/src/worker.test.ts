// The retrain worker on the real Redis and PostgreSQL: a batch queued with
// no job (its job lost, say, between the cut and the enqueue) gets one from
// the start-up reconcile pass and is decided; a decided batch enqueued again
// is skipped.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { shopSessions } from "@drnn/data";
import { acquireNamedLock, createDb, createRepositories, type DbHandle, type Repositories } from "@drnn/db";
import { selectBackend } from "@drnn/model";
import { createRedis, RetrainQueue } from "@drnn/queue";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { RetrainOutcome } from "./retrain.js";
import { ONLINE_DEFAULTS } from "./settings.js";
import { EPOCHS, firstVersion, storeAndCut } from "./testing.js";
import { createTestDatabase, dropTestDatabase } from "../../../test/services.js";
import { startRetrainWorker } from "./worker.js";

let db: DbHandle;
let repos: Repositories;
let url: string;
const artifactsDir = mkdtempSync(join(tmpdir(), "drnn-online-worker-"));

// A database of its own: the reconcile pass takes every model's waiting batches, other test files' too.
beforeAll(async () => {
  await selectBackend("wasm");
  url = await createTestDatabase(inject("databaseUrl"), `${new URL(inject("databaseUrl")).pathname.slice(1)}_retrain_${randomUUID().slice(0, 6)}`);
  db = createDb(url);
  repos = createRepositories(db.prisma);
});
afterAll(async () => {
  await db?.close();
  if (url) await dropTestDatabase(inject("databaseUrl"), url);
});

describe("startRetrainWorker", () => {
  it("gives a queued batch without a job its job, decides it, and skips it when it comes again", async () => {
    const name = `m-${randomUUID()}`;
    await firstVersion(repos, name, artifactsDir);
    const [batch] = await storeAndCut(repos, name, shopSessions(6, 60, { from: 0, to: 5 }, 1000), 60);
    if (!batch) throw new Error("no batch");
    const connection = createRedis(inject("redisUrl"));
    const config = { redisUrl: inject("redisUrl"), prefix: `${inject("queuePrefix")}-worker-${randomUUID().slice(0, 8)}` };
    const outcomes: RetrainOutcome[] = [];
    const handle = await startRetrainWorker({
      connection, config, onOutcome: (o) => outcomes.push(o),
      deps: { repos, artifactsDir, lock: (n) => acquireNamedLock(url, ONLINE_DEFAULTS.lockScope, n, { pollMs: 20 }), versionDir: (v) => Promise.resolve(v.artifact), fineTune: { rule: EPOCHS(3) } },
    });
    const queue = new RetrainQueue(connection, config);
    try {
      expect(handle.reconciled).toEqual([batch.id]);
      const until = async (n: number) => {
        for (let i = 0; outcomes.length < n; i++) {
          if (i > 600) throw new Error("no outcome");
          await new Promise((r) => setTimeout(r, 100));
        }
      };
      await until(1);
      expect(outcomes[0]).toMatchObject({ kind: "decided", batchId: batch.id });
      // The finished job is replaced by a new one for the same batch: the handler skips it.
      await queue.enqueue({ batchId: batch.id, modelName: name });
      await until(2);
      expect(outcomes[1]).toMatchObject({ kind: "skipped", batchId: batch.id, state: "decided" });
      expect(await repos.decisions.list(name)).toHaveLength(1);
    } finally {
      await queue.close();
      await handle.close();
      connection.disconnect();
    }
  });
});
