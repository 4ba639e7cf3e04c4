// `drnn serve` SIGKILLed while events stream in, as deployed: the real CLI
// on the test run's PostgreSQL and Redis. Clients send carts and purchases
// as fast as the server answers; the server is killed mid-stream and started
// again on the same source. Every event that was answered 200 must be
// stored exactly once (a 200 means committed); an event cut off by the kill
// was never answered, and the client sends it again after the restart.
import type { ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb, createRepositories, type DbHandle, type Repositories } from "@drnn/db";
import { CliProcesses, cliEnv } from "../../../test/cli.js";

const home = mkdtempSync(join(tmpdir(), "drnn-serve-kill-"));
const env = cliEnv({ DATABASE_URL: inject("databaseUrl"), REDIS_URL: inject("redisUrl"), DRNN_QUEUE_PREFIX: `${inject("queuePrefix")}-serve-kill`, DRNN_HOME: home });
const processes = new CliProcesses();
let db: DbHandle;
let repos: Repositories;

/** `drnn serve` on a free port; resolves with its URL once it listens. */
async function serve(source: string, model: string): Promise<{ child: ChildProcess; url: string }> {
  const p = processes.spawn(["serve", "--port", "0", "--name", model, "--ingest-source", source], env);
  const [, url = ""] = await p.ready(/serving \S+ on (http:\/\/[\d.:]+)/);
  return { child: p.child, url };
}

beforeAll(() => {
  db = createDb(inject("databaseUrl"));
  repos = createRepositories(db.prisma);
});
afterAll(async () => {
  await processes.killAll();
  await db.close();
  rmSync(home, { recursive: true, force: true });
});

interface Sent {
  sessionId: string;
  itemId: string;
  timestamp: number;
}

/** Sends events one after another from `clients` loops until `stop`; returns those answered 200, and those not answered. */
async function stream(url: string, clients: number, next: () => Sent, stop: () => boolean, acked: Sent[] = []): Promise<{ acked: Sent[]; unanswered: Sent[] }> {
  const unanswered: Sent[] = [];
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (!stop()) {
        const e = next();
        try {
          const res = await fetch(`${url}/v1/events`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ...e, event: "cart" }) });
          if (res.status === 200) acked.push(e);
          else unanswered.push(e);
        } catch {
          unanswered.push(e);
          return;
        }
      }
    }),
  );
  return { acked, unanswered };
}

describe("drnn serve killed with SIGKILL while events stream in", () => {
  it("keeps every event it answered 200, once, and goes on with the open sessions after a restart", async () => {
    const source = `api-${randomUUID()}`;
    const model = `m-${randomUUID()}`;
    let n = 0;
    const t0 = Date.now();
    // 40 sessions, events a second apart in event time: all stay open (T is 30 min).
    const next = (): Sent => ({ sessionId: `s${n % 40}`, itemId: `i${n % 7}`, timestamp: t0 + 1000 * n++ });
    const first = await serve(source, model);
    let killed = false;
    const ackedBefore: Sent[] = [];
    const running = stream(first.url, 4, next, () => killed, ackedBefore);
    // Killed mid-stream, once a fair number of events went through (the clients are still sending).
    for (const end = Date.now() + 20_000; ackedBefore.length < 60 && Date.now() < end; ) await new Promise((r) => setTimeout(r, 10));
    first.child.kill("SIGKILL");
    killed = true;
    const before = await running;
    expect(before.acked.length).toBeGreaterThanOrEqual(60);

    const second = await serve(source, model);
    // The client sends what was never answered again, then a few more.
    let done = false;
    const retried = before.unanswered.slice();
    const again = stream(second.url, 2, () => retried.shift() ?? next(), () => done);
    await new Promise((r) => setTimeout(r, 1000));
    done = true;
    const after = await again;
    second.child.kill("SIGTERM");
    await new Promise((r) => second.child.once("exit", r));

    const stored = (await repos.ingest.openSessions(source)).flatMap((o) => o.records as { sessionId: string; timestamp: number }[]);
    const key = (e: { sessionId: string; timestamp: number }) => `${e.sessionId}@${e.timestamp}`;
    const storedKeys = stored.map(key).sort();
    const ackedKeys = [...before.acked, ...after.acked].map(key).sort();
    expect(new Set(storedKeys).size).toBe(storedKeys.length);
    // Every answered event is stored once; the only stored events nobody heard back about are those cut off by the kill.
    for (const k of ackedKeys) expect(storedKeys).toContain(k);
    const extra = storedKeys.filter((k) => !ackedKeys.includes(k));
    expect(extra.length).toBeLessThanOrEqual(before.unanswered.length);
    expect(after.unanswered).toEqual([]);
    process.stdout.write(`serve kill test: ${before.acked.length} events answered before the kill, ${before.unanswered.length} cut off, ${after.acked.length} after the restart; ${stored.length} stored, ${extra.length} stored but never answered\n`);
  }, 120_000);
});
