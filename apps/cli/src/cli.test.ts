// The command-line contract, exercised as a user runs it: a real process,
// real PostgreSQL and Redis, stdout and stderr and the exit status.
import { describe, expect, inject, it } from "vitest";
import { cliEnv, runCli } from "../../../test/cli.js";

function drnn(args: string[], env: Record<string, string> = {}) {
  const result = runCli(args, cliEnv(env), { timeout: 60_000 });
  const stdoutLines = result.stdout.trim().split("\n").filter(Boolean);
  const last = stdoutLines[stdoutLines.length - 1];
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, last };
}

function jsonOf(last: string | undefined): Record<string, unknown> {
  expect(last).toBeDefined();
  return JSON.parse(last ?? "") as Record<string, unknown>;
}

describe("drnn", () => {
  it("--help lists every command of the contract and exits 0", () => {
    const r = drnn(["--help"]);
    expect(r.status).toBe(0);
    for (const c of ["data", "baseline", "train", "campaign", "worker", "coordinator", "promote", "rollback", "serve", "ingest", "bench", "demo", "db", "doctor"]) {
      expect(r.stdout).toMatch(new RegExp(`^  ${c}\\b`, "m"));
    }
  });

  it("refuses an unknown benchmark workload in one line, with the JSON error as the last stdout line", () => {
    const r = drnn(["bench", "later", "--json"]);
    expect(r.status).toBe(1);
    expect(jsonOf(r.last)).toEqual({
      ok: false,
      error: { name: "UsageError", message: "unknown workload 'later'; one of train, queue, serve, data, artifacts, search" },
    });
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("refuses a campaign id that is not a UUID before opening anything", () => {
    const r = drnn(["campaign", "status", "nope", "--json"], { DATABASE_URL: inject("databaseUrl") });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe("drnn: campaign id must be a UUID (as printed by 'drnn campaign launch'); got nope");
  });

  it("names a campaign that does not exist", () => {
    const r = drnn(["campaign", "status", "00000000-0000-4000-8000-000000000000"], { DATABASE_URL: inject("databaseUrl") });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe("drnn: campaign 00000000-0000-4000-8000-000000000000 does not exist");
  });

  it("refuses an unknown command in one line, exit 1", () => {
    const r = drnn(["frobnicate", "--json"]);
    expect(r.status).toBe(1);
    expect(jsonOf(r.last)).toMatchObject({ ok: false, error: { name: "UsageError" } });
    expect(r.stderr.trim()).toBe("drnn: unknown command 'frobnicate' (see drnn --help)");
  });

  it("db status --json reports the test database clean", () => {
    const r = drnn(["db", "status", "--json"], { DATABASE_URL: inject("databaseUrl") });
    expect(r.status).toBe(0);
    expect(jsonOf(r.last)).toMatchObject({ clean: true, pending: [] });
  });

  it("db deploy on an up-to-date database has nothing to do", () => {
    const r = drnn(["db", "deploy", "--json"], { DATABASE_URL: inject("databaseUrl") });
    expect(r.status).toBe(0);
    expect(jsonOf(r.last)).toMatchObject({ applied: [], upToDate: true });
  });

  it("names a wrong DATABASE_URL in one line, no stack trace", () => {
    const r = drnn(["db", "status"], { DATABASE_URL: "postgresql://postgres@127.0.0.1:1/nowhere" });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toMatch(/^drnn: DATABASE_URL: cannot reach PostgreSQL at 127\.0\.0\.1:1\/nowhere: .*ECONNREFUSED/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("names a malformed DATABASE_URL before connecting", () => {
    const r = drnn(["db", "status"], { DATABASE_URL: "mysql://root@localhost/x" });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toMatch(/^drnn: DATABASE_URL: scheme 'mysql:' is not one of postgres:, postgresql:/);
  });

  it("names a wrong REDIS_URL in one line", () => {
    const r = drnn(["doctor", "--json"], { REDIS_URL: "redis://127.0.0.1:1" });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toMatch(/^drnn: REDIS_URL: cannot reach Redis at 127\.0\.0\.1:1: .*ECONNREFUSED/);
    expect(jsonOf(r.last)).toMatchObject({ ok: false, error: { name: "ServiceError" } });
  });

  it("doctor reports both services when they are configured and reachable", () => {
    const r = drnn(["doctor", "--json"], { DATABASE_URL: inject("databaseUrl"), REDIS_URL: inject("redisUrl") });
    expect(r.status).toBe(0);
    expect(jsonOf(r.last)).toMatchObject({ embedded: false, database: { reachable: true, migrationsClean: true }, redis: { reachable: true } });
  });
});

describe("drnn data prepare + baseline", () => {
  it("prepares a hand-written jsonl log and scores S-POP on it with the contract's fields", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(join(tmpdir(), "drnn-cli-"));
    const lines: string[] = [];
    for (let i = 0; i < 20; i++) {
      const t = Date.UTC(2026, 0, 1) + i * 3_600_000;
      const item = `i${i % 4}`;
      const rec = (dt: number, event: string, it: string) => JSON.stringify({ sessionId: `s${i}`, timestamp: t + dt, page: `/p/${it}`, event, itemId: it });
      lines.push(rec(0, "view", item), rec(30_000, "view", item), rec(50_000, "view", `i${(i + 1) % 4}`), rec(60_000, "buy", item));
    }
    writeFileSync(join(dir, "log.jsonl"), `${lines.join("\n")}\n`);
    const prep = drnn(["data", "prepare", "--format", "jsonl", "--input", join(dir, "log.jsonl"), "--out", join(dir, "ds"), "--json"]);
    expect(prep.status).toBe(0);
    expect(jsonOf(prep.last)).toMatchObject({ sessions: 20, purchaseSessions: 20, badRecords: 0 });
    const r = drnn(["baseline", "--dataset", join(dir, "ds"), "--method", "spop", "--json"]);
    expect(r.status).toBe(0);
    const result = jsonOf(r.last);
    for (const key of ["method", "split", "accuracy", "hit", "mrr20", "pathCompression"]) expect(result).toHaveProperty(key);
    expect(result).toMatchObject({ method: "spop", split: "test", sessions: 4, samples: 12 });
    // Views a, a, x then buys a: S-POP has a on top after every page, so it
    // is right from the first page on, and L2/L1 = 1/3 in every session.
    expect(result["accuracy"]).toBe(1);
    expect(result["pathCompression"]).toBeCloseTo(1 / 3, 10);
    const bad = drnn(["baseline", "--dataset", join(dir, "ds"), "--method", "svd"]);
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim()).toBe("drnn: --method must be one of pop, spop, itemknn, als, als-history; got svd");

    // A saved model replayed page by page through the serving path, against its offline scores.
    const chromosome = JSON.stringify({ w: 2, l: 1, neurons: [8], optimizer: "adam", learningRate: 0.01, batchSize: 16, pointer: true, history: false, fnnLayers: 0 });
    const train = drnn(["train", "--dataset", join(dir, "ds"), "--chromosome", chromosome, "--max-epochs", "1", "--save", join(dir, "model"), "--json"]);
    expect(train.status, train.stderr).toBe(0);
    const services = { REDIS_URL: inject("redisUrl"), DRNN_QUEUE_PREFIX: inject("queuePrefix") };
    const replay = drnn(["eval", "--replay", "--dataset", join(dir, "ds"), "--artifact", join(dir, "model"), "--compare", "--json"], services);
    expect(replay.status, replay.stderr).toBe(0);
    const replayed = jsonOf(replay.last);
    expect(replayed).toMatchObject({ mode: "replay", split: "test", sessions: 4, samples: 12, pageViews: 12, hit1Difference: 0 });
    for (const key of ["accuracy", "hit", "mrr20", "pathCompression", "sessionAccuracy", "reachable", "offline"]) expect(replayed).toHaveProperty(key);
    expect(drnn(["eval", "--dataset", join(dir, "ds"), "--artifact", join(dir, "model")], services).stderr.trim()).toMatch(/^drnn: only --replay is implemented/);
  }, 180_000);
});
