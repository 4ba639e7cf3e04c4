// The distributed path end to end, as deployed: PostgreSQL + Redis, two
// `drnn worker` processes and a `drnn coordinator`, all real processes.
// A worker is SIGKILLed in the middle of a job and the coordinator is
// SIGKILLed mid-campaign and replaced; the campaign must still complete with
// every chromosome evaluated exactly once, the same chromosomes as an
// uninterrupted run. Training is the simulated trainer (deterministic
// fitness from the chromosome, 0.4 s per epoch): this test is about the
// machinery, not the model.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Repositories } from "@drnn/db";
import { InProcessExecutor, SimulatedTrainer, launchCampaign, runCampaign } from "@drnn/tuning";
import { ownTestDatabase, type OwnTestDatabase } from "../../../test/services.js";
import { CliProcesses, cliEnv, lastJson, poller, runCli } from "../../../test/cli.js";
import { prepareSyntheticDataset } from "./testing/synthetic-dataset.js";

const home = mkdtempSync(join(tmpdir(), "drnn-dist-"));
// A database of this file's own: its coordinators take every campaign they find, and so would another
// file's coordinators take this file's campaign onto their own queue.
let own: OwnTestDatabase | undefined;
const settings = {
  REDIS_URL: inject("redisUrl"),
  DRNN_QUEUE_PREFIX: `${inject("queuePrefix")}-dist`,
  DRNN_TRAINER: "simulated",
  DRNN_SIMULATED_EPOCH_MS: "400",
  DRNN_LEASE_MS: "3000",
  DRNN_HOME: home,
};
let env: ReturnType<typeof cliEnv>;
const processes = new CliProcesses();
const start = async (args: string[]) => (await processes.start(args, env, /ready|watching/)).child;
const until = poller({ timeoutMs: 90_000, pollMs: 100 });
let repos: Repositories;

beforeAll(async () => {
  await prepareSyntheticDataset(home, { sessions: 300, seed: 2 });
  own = await ownTestDatabase(inject("databaseUrl"), "dist");
  repos = own.repos;
  env = cliEnv({ DATABASE_URL: own.url, ...settings });
}, 60_000);

afterAll(async () => {
  await processes.killAll();
  await own?.drop();
});

describe("coordinator + two workers on BullMQ", () => {
  it("completes a campaign through a worker SIGKILL and a coordinator SIGKILL, each chromosome evaluated once", async () => {
    const w1 = await start(["worker"]);
    await start(["worker"]);
    const launched = runCli(["campaign", "launch", "--dataset", join(home, "ds"), "--strategy", "elitist", "--population", "4", "--generations", "3", "--budget", "10", "--seed", "11", "--json"], env);
    expect(launched.status).toBe(0);
    const { campaignId, state } = lastJson<{ campaignId: string; state: string }>(launched.stdout);
    expect(state).toBe("queued");
    const c1 = await start(["coordinator"]);

    // A job in the middle of training on worker 1: kill the worker outright.
    const victim = await until("a job running on worker 1", async () =>
      (await repos.candidates.listByCampaign(campaignId)).find((c) => c.state === "running" && c.workerId?.includes(`-${w1.pid}-`)),
    );
    await until("an epoch of that job", async () => (await repos.epochs.list(victim.id)).length > 0);
    w1.kill("SIGKILL");

    // Mid-campaign, some results in: kill the coordinator and start another.
    await until("five results", async () => (await repos.candidates.listByCampaign(campaignId)).filter((c) => c.state === "completed").length >= 5);
    c1.kill("SIGKILL");
    await start(["coordinator"]);

    await until("the campaign to complete", async () => (await repos.campaigns.get(campaignId)).state === "completed", 120_000);
    const rows = await repos.candidates.listByCampaign(campaignId);
    expect(new Set(rows.map((r) => r.hash)).size).toBe(rows.length);
    for (const r of rows) {
      expect(r.state).toBe("completed");
      expect(await repos.epochs.list(r.id)).toHaveLength(3);
    }
    const killed = rows.find((r) => r.id === victim.id);
    expect(killed?.attempts).toBe(2);
    expect(killed?.workerId).not.toContain(`-${w1.pid}-`);
    expect(rows.filter((r) => r.id !== victim.id).every((r) => r.attempts === 1)).toBe(true);

    // The same campaign run without interruptions, in-process: the same chromosomes. The
    // coordinator still running would take that campaign's lease too (runCampaign then answers "busy").
    await processes.killAll();
    const reference = await launchCampaign(repos, {
      datasetId: (await repos.campaigns.get(campaignId)).datasetId,
      strategy: "elitist",
      seed: 11n,
      budget: 10,
      settings: { ga: { populationSize: 4, generations: 3 }, training: { maxEpochs: 5, pi: 0.01 } },
    });
    await repos.workers.register({ id: "reference", hostname: "localhost", backend: "simulated", device: "none", concurrency: 2 });
    const executor = new InProcessExecutor({
      deps: { repos, trainer: new SimulatedTrainer({ epochMs: 1, epochs: 3 }), worker: { id: "reference", backend: "simulated", device: "none" } },
      concurrency: 2,
      attempts: 2,
    });
    expect(await runCampaign(reference.id, { repos, executor, pollMs: 20 })).toBe("completed");
    await executor.close();
    const expected = (await repos.candidates.listByCampaign(reference.id)).map((r) => r.hash).sort();
    expect(rows.map((r) => r.hash).sort()).toEqual(expected);
  }, 180_000);
});
