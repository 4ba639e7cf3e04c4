// Shared by this package's tests: a database with a dataset row, campaigns
// with a small search space, and trainers whose behaviour a test scripts.
import { randomUUID } from "node:crypto";
import { createDb, createRepositories, type Repositories, type DbHandle } from "@drnn/db";
import type { FitnessJobPayload, FitnessResult } from "@drnn/queue";
import { SimulatedTrainer } from "./trainers/simulated.js";
import type { TrainRequest, Trainer } from "./trainer.js";

export interface TestEnv extends DbHandle {
  repos: Repositories;
  datasetId: string;
}

export async function openTestEnv(url: string): Promise<TestEnv> {
  const handle = createDb(url, { maxConnections: 6 });
  const repos = createRepositories(handle.prisma);
  await repos.workers.register({ id: "test-worker", hostname: "localhost", backend: "simulated", device: "none", concurrency: 2 });
  const dataset = await repos.datasets.register({ name: "t", format: "jsonl", contentHash: `sha256:${randomUUID()}`, location: "/nowhere", stats: {} });
  return { ...handle, repos, datasetId: dataset.id };
}

/** A small space (a few hundred chromosomes) so campaigns finish in seconds. */
export const SMALL_SPACE = {
  name: "small",
  genes: [
    { name: "w", type: "int", min: 1, max: 4, default: 2 },
    { name: "l", type: "int", min: 1, max: 2, default: 1 },
    { name: "neurons", type: "int-list", lengthGene: "l", min: 8, max: 64, default: [16] },
    { name: "learningRate", type: "log-float", min: 0.001, max: 0.1, default: 0.01, digits: 2 },
  ],
};

export function payloadFor(env: TestEnv, campaignId: string, candidateId: string, hash: string): FitnessJobPayload {
  return {
    campaignId,
    candidateId,
    hash,
    chromosome: { w: 2 },
    dataset: { id: env.datasetId, contentHash: "x", location: "/nowhere" },
    training: { policy: "patience", maxEpochs: 3, pi: 0.001, patience: 2, unsettledFitness: 0, pruning: null, seed: 1 },
  };
}

/** Fails the first `failures` calls per hash with an error named `errorName`, then trains like SimulatedTrainer. */
export class FlakyTrainer implements Trainer {
  readonly backend = "simulated";
  readonly device = "none";
  readonly calls = new Map<string, number>();
  private readonly inner = new SimulatedTrainer({ epochMs: 1, epochs: 2 });
  constructor(
    private readonly failures: number,
    private readonly makeError: (n: number) => Error = (n) => new Error(`flaky failure ${n}`),
  ) {}
  async train(request: TrainRequest): Promise<FitnessResult> {
    const n = (this.calls.get(request.payload.hash) ?? 0) + 1;
    this.calls.set(request.payload.hash, n);
    if (n <= this.failures) throw this.makeError(n);
    return this.inner.train(request);
  }
  async close(): Promise<void> {}
}

export async function until(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}
