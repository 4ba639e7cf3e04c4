// Many nodes, no shared disk, as deployed: PostgreSQL + Redis and real
// `drnn` processes, each with its own empty DRNN_ARTIFACTS_DIR. The
// dataset is prepared and registered (pushed to the artifact store), then
// its directory is deleted; a coordinator and two workers run a campaign
// with the real trainer on tiny shapes (two epochs, pi 1: settled at the
// second under either fitness policy), the workers fetching the
// dataset by hash; then a fourth directory that never trained promotes the
// best candidate (its weights fetched from the store, not retrained) and
// serves it, answering a page view.
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { writeSyntheticLog } from "@drnn/data";
import type { Repositories } from "@drnn/db";
import { ownTestDatabase, type OwnTestDatabase } from "../../../test/services.js";
import { CliProcesses, cliEnv, poller, runCliJson } from "../../../test/cli.js";
import { writeTinySpace } from "./testing/tiny-space.js";

const home = mkdtempSync(join(tmpdir(), "drnn-nodes-"));
const nodeDir = (n: string) => join(home, `node-${n}`);
// A database of this file's own: its coordinator takes every campaign it finds (and another file's
// coordinator would take this file's).
let own: OwnTestDatabase | undefined;
const env = (node: string) =>
  cliEnv({
    DATABASE_URL: own?.url ?? "",
    REDIS_URL: inject("redisUrl"),
    DRNN_QUEUE_PREFIX: `${inject("queuePrefix")}-nodes`,
    DRNN_LEASE_MS: "3000",
    DRNN_HOME: join(home, "drnn-home"),
    DRNN_ARTIFACTS_DIR: nodeDir(node),
    DRNN_SERVE_POLL_MS: "200",
  });
const processes = new CliProcesses();
let repos: Repositories;

const drnn = (node: string, args: string[]) => runCliJson(args, env(node), 240_000);
const start = (node: string, args: string[], ready: RegExp) => processes.start(args, env(node), ready);
const until = poller({ timeoutMs: 240_000, pollMs: 200 });

beforeAll(async () => {
  await writeSyntheticLog(join(home, "log.jsonl"), { sessions: 300, seed: 5 });
  own = await ownTestDatabase(inject("databaseUrl"), "nodes");
  repos = own.repos;
}, 60_000);

afterAll(async () => {
  await processes.killAll();
  await own?.drop();
});

describe("nodes that share only PostgreSQL and Redis", () => {
  it("train on a dataset whose directory is gone, then promote and serve on a node that never trained", async () => {
    const dsDir = join(home, "ds");
    const prepared = drnn("prep", ["data", "prepare", "--format", "jsonl", "--input", join(home, "log.jsonl"), "--out", dsDir]);
    const registered = prepared.registered as { datasetId: string; artifactHash: string; contentHash: string; bytes: number };
    expect(registered.artifactHash).toMatch(/^[0-9a-f]{64}$/);
    expect(registered.bytes).toBeGreaterThan(0);
    rmSync(dsDir, { recursive: true, force: true });

    const coordinator = await start("coordinator", ["coordinator"], /watching/);
    const w1 = await start("w1", ["worker"], /ready/);
    const w2 = await start("w2", ["worker"], /ready/);
    // By a prefix of the dataset's content hash: --dataset takes a directory, an id or a hash.
    const launched = drnn("launch", [
      "campaign", "launch", "--dataset", registered.contentHash.slice(0, 16), "--strategy", "random", "--population", "2", "--generations", "1",
      "--budget", "2", "--max-epochs", "2", "--pi", "1", "--seed", "3", "--search-space", writeTinySpace(home),
    ]);
    const campaignId = launched.campaignId as string;
    await until("the campaign to complete", async () => ["completed", "failed"].includes((await repos.campaigns.get(campaignId)).state), 240_000);
    const rows = await repos.candidates.listByCampaign(campaignId);
    expect((await repos.campaigns.get(campaignId)).state, JSON.stringify(rows.map((r) => r.error))).toBe("completed");
    expect(rows.map((r) => [r.state, (r.fitness ?? 0) > 0, r.error])).toEqual(rows.map(() => ["completed", true, null]));
    // Each worker that trained fetched the dataset into its own cache; none had the directory.
    const trainedOn = new Set(rows.map((r) => r.workerId));
    for (const [node, w] of [["w1", w1], ["w2", w2]] as const) {
      const cached = existsSync(join(nodeDir(node), "cache", registered.artifactHash, "files", "manifest.json"));
      const trained = [...trainedOn].some((id) => id?.includes(`-${w.child.pid}-`));
      expect(cached).toBe(trained);
    }
    expect(rows.some((r) => r.artifactHash !== null)).toBe(true);
    for (const c of [coordinator, w1, w2]) c.child.kill("SIGTERM");

    const promoted = drnn("d4", ["promote", "--campaign", campaignId]);
    expect(promoted).toMatchObject({ origin: "artifact", version: 1 });
    expect(promoted.artifactHash).toMatch(/^[0-9a-f]{64}$/);
    expect(existsSync(join(nodeDir("d4"), "cache", registered.artifactHash))).toBe(true);
    // The version's own directory on d4 goes too: serving must fetch it by hash.
    rmSync(promoted.artifact as string, { recursive: true, force: true });

    const server = await start("d4", ["serve", "--port", "0"], /serving \S+ on http:\/\/[\d.]+:\d+/);
    const url = /on (http:\/\/[\d.]+:\d+)/.exec(server.stderr())?.[1];
    const views = await until("a model to serve", async () => {
      const res = await fetch(`${url}/v1/page-views`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ sessionId: "s-1", page: "/p/1" }) });
      return res.status === 200 ? ((await res.json()) as Record<string, unknown>) : undefined;
    }, 60_000);
    expect(views).toHaveProperty("items");
    expect(readdirSync(join(nodeDir("d4"), "cache")).filter((n) => /^[0-9a-f]{64}$/.test(n))).toContain(promoted.artifactHash);
    server.child.kill("SIGTERM");
  }, 300_000);
});
