// A pruned campaign through kills, as deployed: PostgreSQL + Redis, two
// `drnn worker` processes and a `drnn coordinator`, all real processes. A
// worker is SIGKILLed between two rungs of its candidate (after the rung-1
// verdict, before rung 3), and the coordinator is SIGKILLed mid-campaign
// and replaced. Every candidate must still end with exactly one result, one
// rung row per (candidate, rung) and, for the killed one, the verdict it
// got before the kill. Training is the simulated trainer (0.3 s per epoch,
// 5 epochs, R = 5: rungs at 1 and 3): this is about the machinery.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Repositories } from "@drnn/db";
import { ownTestDatabase, type OwnTestDatabase } from "../../../test/services.js";
import { CliProcesses, cliEnv, lastJson, poller, runCli } from "../../../test/cli.js";
import { prepareSyntheticDataset } from "./testing/synthetic-dataset.js";

const home = mkdtempSync(join(tmpdir(), "drnn-prune-"));
// A database of this file's own: its coordinators take every campaign they find, and so would another
// file's coordinators take this file's campaign onto their own queue.
let own: OwnTestDatabase | undefined;
const settings = {
  REDIS_URL: inject("redisUrl"),
  DRNN_QUEUE_PREFIX: `${inject("queuePrefix")}-prune`,
  DRNN_TRAINER: "simulated",
  // The test must see a candidate between its rung-1 verdict and rung 3 (two epochs): long enough
  // epochs keep that window open for its polls when other test files load the machine.
  DRNN_SIMULATED_EPOCH_MS: "800",
  DRNN_SIMULATED_EPOCHS: "5",
  DRNN_LEASE_MS: "3000",
  DRNN_JOB_LOCK_MS: "3000",
  DRNN_HOME: home,
};
let env: ReturnType<typeof cliEnv>;
const processes = new CliProcesses();
const start = async (args: string[]) => (await processes.start(args, env, /ready|watching/)).child;
const until = poller({ timeoutMs: 90_000, pollMs: 50 });
let repos: Repositories;

beforeAll(async () => {
  await prepareSyntheticDataset(home, { sessions: 200, seed: 2 });
  own = await ownTestDatabase(inject("databaseUrl"), "prune");
  repos = own.repos;
  env = cliEnv({ DATABASE_URL: own.url, ...settings });
}, 60_000);

afterAll(async () => {
  await processes.killAll();
  await own?.drop();
});

describe("a pruned campaign on BullMQ", () => {
  it("leaves exactly one result per candidate through a worker killed between rungs and a coordinator killed mid-campaign", async () => {
    const workers = [await start(["worker"]), await start(["worker"])];
    const launched = runCli(["campaign", "launch", "--dataset", join(home, "ds"), "--strategy", "random", "--population", "4", "--generations", "1", "--max-epochs", "5", "--pruning", "--seed", "5", "--json"], env);
    expect(launched.status).toBe(0);
    const { campaignId } = lastJson<{ campaignId: string }>(launched.stdout);
    expect(await repos.campaigns.get(campaignId)).toMatchObject({ pruning: true, fitnessPolicy: "patience", budget: 8 });
    const c1 = await start(["coordinator"]);

    // A candidate past its rung-1 verdict and promoted, not yet at rung 3: kill the worker training it
    // (whichever of the two it is: the queue decides who takes which job).
    const victim = await until("a promoted candidate between rungs", async () => {
      for (const c of await repos.candidates.listByCampaign(campaignId)) {
        const worker = workers.find((w) => c.workerId?.includes(`-${w.pid}-`));
        if (c.state !== "running" || worker === undefined) continue;
        const rung = await repos.rungs.find(c.id, 1);
        if (rung?.promoted && (await repos.rungs.find(c.id, 3)) === null) return { candidate: c, rung, worker };
      }
      return undefined;
    });
    victim.worker.kill("SIGKILL");

    await until("three results", async () => (await repos.candidates.listByCampaign(campaignId)).filter((c) => c.state === "completed").length >= 3);
    c1.kill("SIGKILL");
    await start(["coordinator"]);

    await until("the campaign to complete", async () => (await repos.campaigns.get(campaignId)).state === "completed", 120_000);
    const rows = await repos.candidates.listByCampaign(campaignId);
    expect(rows.length).toBe(8);
    expect(new Set(rows.map((r) => r.hash)).size).toBe(rows.length);
    for (const r of rows) {
      expect(r.state).toBe("completed");
      expect(r.epochs).toBe((await repos.epochs.list(r.id)).length);
      expect(r.stopReason === "pruned" ? r.epochs === r.rung : r.epochs === 5).toBe(true);
    }
    const rungs = await repos.rungs.listByCampaign(campaignId);
    expect(new Set(rungs.map((r) => `${r.candidateId}:${r.rung}`)).size).toBe(rungs.length);
    expect(rungs.filter((r) => r.rung === 1)).toHaveLength(8);
    expect(rows.some((r) => r.stopReason === "pruned")).toBe(true);
    const killed = rows.find((r) => r.id === victim.candidate.id);
    expect(killed?.attempts).toBe(2);
    expect(await repos.rungs.find(victim.candidate.id, 1)).toEqual(victim.rung);
  }, 180_000);
});
