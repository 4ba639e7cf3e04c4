// Ingest against the real PostgreSQL and Redis of the test run: a log read
// into stored sessions and batches, a stop and a resume that count every
// record once, the reconcile pass, and bad input.
import { randomUUID } from "node:crypto";
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb, createRepositories, type DbHandle, type Repositories } from "@drnn/db";
import { createRedis, RetrainQueue } from "@drnn/queue";
import type { LogRecord } from "@drnn/data";
import { DEFAULT_SESSIONIZER } from "@drnn/data";
import { ApiIngest } from "./api-ingest.js";
import { BatchTrigger, type RetrainEnqueuer } from "./batches.js";
import { IngestService } from "./ingest-service.js";
import { ingestLog, type IngestFormat } from "./ingest-log.js";

const MIN = 60_000;
const T0 = Date.parse("2024-05-01T08:00:00Z");
let handle: DbHandle;
let repos: Repositories;
let dir: string;
const redis = createRedis(inject("redisUrl"));
const config = { redisUrl: inject("redisUrl"), prefix: inject("queuePrefix") };

beforeAll(() => {
  handle = createDb(inject("databaseUrl"), { maxConnections: 4 });
  repos = createRepositories(handle.prisma);
  dir = mkdtempSync(join(tmpdir(), "drnn-ingest-"));
});
afterAll(async () => {
  await handle.close();
  redis.disconnect();
  rmSync(dir, { recursive: true, force: true });
});

/** `sessions` sessions of 3 views each, every other one ending in a purchase, 40 min apart per user. */
function shopLog(sessions: number): LogRecord[] {
  const out: LogRecord[] = [];
  for (let s = 0; s < sessions; s++) {
    const start = T0 + s * 7 * MIN;
    const sessionId = `s${s}`;
    for (let v = 0; v < 3; v++) out.push({ sessionId, userId: `u${s % 3}`, timestamp: start + v * MIN, page: `p${(s + v) % 5}`, event: "view", itemId: `i${(s + v) % 5}` });
    if (s % 2 === 0) out.push({ sessionId, userId: `u${s % 3}`, timestamp: start + 3 * MIN, page: "", event: "buy", itemId: `i${s % 5}` });
  }
  return out.sort((a, b) => a.timestamp - b.timestamp);
}

const jsonl = (records: readonly LogRecord[]) => records.map((r) => JSON.stringify(r)).join("\n") + "\n";

async function service(source: string, modelName: string, batchSessions: number, queue: RetrainEnqueuer | null) {
  const trigger = new BatchTrigger(repos, { modelName, batchSessions, queue });
  return { trigger, service: await IngestService.open({ repos, source, modelName, trigger }) };
}

async function freshQueue() {
  const queue = new RetrainQueue(redis, config, `drnn-retrain-${randomUUID()}`);
  return queue;
}

describe("drnn ingest's loop", () => {
  it("stores every session of a log once, cuts batches of M purchase sessions and enqueues one job per batch", async () => {
    const path = join(dir, `${randomUUID()}.jsonl`);
    const log = shopLog(10);
    writeFileSync(path, jsonl(log));
    const model = `m-${randomUUID()}`;
    const queue = await freshQueue();
    const { service: s } = await service(path, model, 2, queue);
    const r = await ingestLog({ input: path, format: "jsonl", follow: false, service: s, commitLines: 7 });
    expect(r).toMatchObject({ records: log.length, badLines: 0, storedSessions: 10, storedPurchaseSessions: 5, batches: 2, jobsEnqueued: 2, openSessions: 0, ended: "end" });
    const batches = await repos.onlineBatches.list(model);
    expect(batches.map((b) => [b.seq, b.state, b.sessionCount])).toEqual([[1, "queued", 2], [2, "queued", 2]]);
    const jobs = await queue.queue.getJobs(["waiting"]);
    expect(jobs.map((j) => j.id).sort()).toEqual(batches.map((b) => b.id).sort());
    expect(jobs.map((j) => j.data.modelName)).toEqual([model, model]);
    const stored = await repos.onlineSessions.list(model);
    expect(stored.reduce((n, x) => n + (x.records as unknown[]).length, 0)).toBe(log.length);
    expect(await repos.onlineSessions.counts(model)).toEqual({ sessions: 10, purchaseSessions: 5, waiting: 1 });
    await queue.queue.obliterate({ force: true });
    await queue.close();
  });

  it("stopped mid-log and resumed from its cursor, it stores what one uninterrupted run stores", async () => {
    const log = shopLog(12);
    const whole = join(dir, `${randomUUID()}.jsonl`);
    writeFileSync(whole, jsonl(log));
    const reference = `ref-${randomUUID()}`;
    await ingestLog({ input: whole, format: "jsonl", follow: false, service: (await service(whole, reference, 3, null)).service });

    const path = join(dir, `${randomUUID()}.jsonl`);
    const model = `m-${randomUUID()}`;
    // A log still being written: the first 20 records, a stop while following, then the rest.
    writeFileSync(path, jsonl(log.slice(0, 20)));
    const stop = new AbortController();
    const first = await service(path, model, 3, null);
    const run1 = await ingestLog({ input: path, format: "jsonl", follow: true, service: first.service, pollMs: 5, signal: stop.signal, onProgress: () => stop.abort(), progressMs: 0 });
    expect(run1.ended).toBe("signal");
    expect(run1.openSessions).toBeGreaterThan(0);
    appendFileSync(path, jsonl(log.slice(20)));
    const second = await service(path, model, 3, null);
    expect(second.service.resumePosition).toBe(BigInt(run1.position));
    const run2 = await ingestLog({ input: path, format: "jsonl", follow: false, service: second.service });
    expect(run2.resumedAt).toEqual({ byte: run1.position, line: 20 });
    expect(run1.records + run2.records).toBe(log.length);
    const view = (rows: Awaited<ReturnType<Repositories["onlineSessions"]["list"]>>) => rows.map((x) => [x.sourceKey, x.firstEventAt.getTime(), x.records, x.hasPurchase]).sort();
    expect(view(await repos.onlineSessions.list(model))).toEqual(view(await repos.onlineSessions.list(reference)));
    expect((await repos.onlineBatches.list(model)).map((b) => b.seq)).toEqual((await repos.onlineBatches.list(reference)).map((b) => b.seq));
  });

  it("reconciles a queued batch whose job never reached the queue, once", async () => {
    const path = join(dir, `${randomUUID()}.jsonl`);
    writeFileSync(path, jsonl(shopLog(4)));
    const model = `m-${randomUUID()}`;
    // Cut with no queue: as if the process died between the batch's transaction and its enqueue.
    await ingestLog({ input: path, format: "jsonl", follow: false, service: (await service(path, model, 2, null)).service });
    const [batch] = await repos.onlineBatches.list(model);
    if (!batch) throw new Error("no batch was cut");
    const queue = await freshQueue();
    const trigger = new BatchTrigger(repos, { modelName: model, batchSessions: 2, queue });
    expect(await trigger.reconcile()).toBe(1);
    expect(await trigger.reconcile()).toBe(0);
    expect((await queue.queue.getJobs(["waiting"])).map((j) => j.id)).toEqual([batch.id]);
    await queue.queue.obliterate({ force: true });
    await queue.close();
  });

  it("counts malformed lines with their line numbers and loses nothing else", async () => {
    const good = shopLog(2);
    const lines = [JSON.stringify(good[0]), "{not json", JSON.stringify({ ...good[1], event: "click" }), "", JSON.stringify({ ...good[2], timestamp: "yesterday" }), ...good.slice(1).map((r) => JSON.stringify(r))];
    const path = join(dir, `${randomUUID()}.jsonl`);
    writeFileSync(path, lines.join("\n"));
    const model = `m-${randomUUID()}`;
    const r = await ingestLog({ input: path, format: "jsonl", follow: false, service: (await service(path, model, 5, null)).service });
    expect(r.bad.map((b) => [b.line, b.reason])).toEqual([[2, "not valid JSON (truncated line?)"], [3, 'event must be view, cart or buy, got "click"'], [5, 'bad timestamp "yesterday"']]);
    expect(r).toMatchObject({ badLines: 3, records: good.length, storedSessions: 2 });
  });

  it("reads CSV, and resumes a CSV past its header", async () => {
    const log = shopLog(6);
    const csv = (rs: readonly LogRecord[]) => rs.map((x) => [x.timestamp, x.sessionId, x.userId, x.event, x.page, x.itemId ?? ""].join(",")).join("\n") + "\n";
    const path = join(dir, `${randomUUID()}.csv`);
    writeFileSync(path, `timestamp,sessionId,userId,event,page,itemId\n${csv(log.slice(0, 9))}`);
    const model = `m-${randomUUID()}`;
    const format: IngestFormat = "csv";
    const stop = new AbortController();
    const run1 = await ingestLog({ input: path, format, follow: true, service: (await service(path, model, 50, null)).service, pollMs: 5, signal: stop.signal, onProgress: () => stop.abort(), progressMs: 0 });
    appendFileSync(path, csv(log.slice(9)));
    const run2 = await ingestLog({ input: path, format, follow: false, service: (await service(path, model, 50, null)).service });
    expect([run1.records, run2.records, run1.badLines + run2.badLines]).toEqual([9, log.length - 9, 0]);
    expect((await repos.onlineSessions.counts(model)).sessions).toBe(6);
    const wrong = join(dir, `${randomUUID()}.csv`);
    writeFileSync(wrong, "when,what\n1,2\n");
    await expect(ingestLog({ input: wrong, format, follow: false, service: (await service(wrong, model, 50, null)).service })).rejects.toThrow(/is not in the csv log records .* format: header is "when,what"/);
  });

  it("closes the sessions of a quiet stream T after their last record in wall time: a followed file and the API", async () => {
    const gapMs = 300;
    const sessionizer = { ...DEFAULT_SESSIONIZER, gapMs };
    const now = Date.now();
    const log: LogRecord[] = [
      { sessionId: "q", timestamp: now, page: "p1", event: "view" },
      { sessionId: "q", timestamp: now + 10, page: "", event: "buy", itemId: "i1" },
    ];
    const path = join(dir, `${randomUUID()}.jsonl`);
    writeFileSync(path, jsonl(log));
    const model = `m-${randomUUID()}`;
    const trigger = new BatchTrigger(repos, { modelName: model, batchSessions: 1, queue: null });
    const followed = await IngestService.open({ repos, source: path, modelName: model, trigger, sessionizer });
    const stop = new AbortController();
    const started = Date.now();
    const run = ingestLog({ input: path, format: "jsonl", follow: true, service: followed, pollMs: 20, commitMs: 10, signal: stop.signal });
    // Nothing more is written: the idle clock alone closes the session (and its purchase makes batch 1).
    const batches = await until(async () => (await repos.onlineBatches.list(model)).length > 0);
    const waited = Date.now() - started;
    stop.abort();
    expect((await run).storedSessions).toBe(1);
    expect(batches).toBe(true);
    expect(waited).toBeGreaterThanOrEqual(gapMs);

    const apiModel = `m-${randomUUID()}`;
    const api = await ApiIngest.start({ repos, modelName: apiModel, queue: null, source: `api-${randomUUID()}`, sessionizer, tickMs: 20, batchSessions: 1 });
    await api.record({ sessionId: "a", timestamp: Date.now(), page: "p1", event: "view" });
    await api.record({ sessionId: "a", timestamp: Date.now(), page: "", event: "buy", itemId: "i1" });
    expect((await repos.onlineSessions.counts(apiModel)).sessions).toBe(0);
    expect(await until(async () => (await repos.onlineSessions.counts(apiModel)).purchaseSessions === 1)).toBe(true);
    await api.close();
  });
});

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}
