// The real trainer end to end on a small synthetic shop: the DRNN trains in
// a worker thread, epochs arrive in order on the main thread, and the result
// carries test metrics and a saved model.
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDataset, prepareDataset, writeSyntheticLog, type Dataset } from "@drnn/data";
import { CHROMOSOME_DEFAULTS } from "@drnn/contract";
import type { EpochReport } from "../trainer.js";
import { DrnnThreadTrainer } from "./drnn-thread.js";

let dataset: Dataset;
let trainer: DrnnThreadTrainer;
const dir = mkdtempSync(join(tmpdir(), "drnn-thread-"));

beforeAll(async () => {
  await writeSyntheticLog(join(dir, "log.jsonl"), { sessions: 400, seed: 3 });
  await prepareDataset({ format: "jsonl", input: join(dir, "log.jsonl"), out: join(dir, "ds") });
  dataset = loadDataset(join(dir, "ds"));
  trainer = await DrnnThreadTrainer.start({ threads: 1, backend: "cpu", artifactsDir: join(dir, "artifacts") });
}, 120_000);
afterAll(() => trainer.close());

describe("DrnnThreadTrainer", () => {
  it("trains the DRNN in a thread, reporting each epoch before the result", async () => {
    const epochs: EpochReport[] = [];
    const hash = randomUUID();
    const campaignId = randomUUID();
    const result = await trainer.train({
      payload: {
        campaignId,
        candidateId: randomUUID(),
        hash,
        chromosome: { ...CHROMOSOME_DEFAULTS, w: 3, l: 1, h: 1, neurons: [32], batchSize: 64, learningRate: 0.01, optimizer: "adam", fnnLayers: 0, fnnNeurons: 16 },
        dataset: { id: randomUUID(), contentHash: dataset.manifest.contentHash, location: dataset.dir },
        // The paper's rule with pi = 1: any accuracy change settles, so the run converges at epoch 2 with a positive fitness.
        training: { policy: "paper", maxEpochs: 3, pi: 1, patience: 1, unsettledFitness: 0, pruning: null, seed: 5 },
      },
      onEpoch: async (e) => {
        epochs.push(e);
        return "continue";
      },
      signal: new AbortController().signal,
    });
    expect(result.backend).toBe("cpu");
    expect(trainer.backend).toBe("cpu");
    expect(epochs.map((e) => e.epoch)).toEqual(Array.from({ length: result.epochs }, (_, i) => i + 1));
    expect(result).toMatchObject({ converged: true, epochs: 2, reason: null });
    expect(result.fitness).toBeCloseTo(result.accuracy + 1 / (1 + result.loss), 6);
    expect(result.test).toMatchObject({ split: "test" });
    expect(result.artifact).toBe(join(dir, "artifacts", "candidates", campaignId, hash));
    expect(existsSync(join(result.artifact ?? "", "model.json"))).toBe(true);
  }, 120_000);

  it("waits for the verdict on each epoch of a pruned job and stops where it is told to", async () => {
    const seen: number[] = [];
    const result = await trainer.train({
      payload: {
        campaignId: randomUUID(),
        candidateId: randomUUID(),
        hash: randomUUID(),
        chromosome: { ...CHROMOSOME_DEFAULTS, w: 2, l: 1, h: 1, neurons: [16], batchSize: 64, learningRate: 0.01, optimizer: "adam", fnnLayers: 0, fnnNeurons: 16 },
        dataset: { id: randomUUID(), contentHash: dataset.manifest.contentHash, location: dataset.dir },
        training: { policy: "patience", maxEpochs: 5, pi: 0, patience: 5, unsettledFitness: 0, pruning: { eta: 3, minEpochs: 1 }, seed: 2 },
      },
      onEpoch: async (e) => {
        seen.push(e.epoch);
        return e.epoch === 2 ? "stop" : "continue";
      },
      signal: new AbortController().signal,
    });
    expect(seen).toEqual([1, 2]);
    expect(result).toMatchObject({ epochs: 2, stopReason: "pruned" });
    expect(result.fitness).toBeGreaterThan(0);
  }, 120_000);

  it("fails a candidate too big for memory as out-of-memory, and the next one still trains", async () => {
    const job = (neurons: number[], batchSize = 64, w = 3) => ({
      campaignId: randomUUID(),
      candidateId: randomUUID(),
      hash: randomUUID(),
      chromosome: { ...CHROMOSOME_DEFAULTS, w, l: 2, h: 1, neurons, batchSize, learningRate: 0.01, optimizer: "adam", fnnLayers: 0, fnnNeurons: 16 },
      dataset: { id: randomUUID(), contentHash: dataset.manifest.contentHash, location: dataset.dir },
      training: { policy: "patience" as const, maxEpochs: 1, pi: 0, patience: 1, unsettledFitness: 0, pruning: null, seed: 5 },
    });
    const onEpoch = () => Promise.resolve("continue" as const);
    // The largest network the contract allows, at its largest batch: far beyond any device.
    const huge = await trainer.train({ payload: job([4096, 4096], 100_000, 32), signal: new AbortController().signal, onEpoch });
    expect(huge).toMatchObject({ fitness: 0, stopReason: "out-of-memory" });
    const small = await trainer.train({ payload: job([16, 8]), signal: new AbortController().signal, onEpoch });
    expect(small.fitness).toBeGreaterThan(0);
  }, 120_000);

  it("refuses a dataset whose content hash is not the job's", async () => {
    await expect(
      trainer.train({
        payload: {
          campaignId: randomUUID(),
          candidateId: randomUUID(),
          hash: "h",
          chromosome: { ...CHROMOSOME_DEFAULTS },
          dataset: { id: randomUUID(), contentHash: "not-this-one", location: dataset.dir },
          training: { policy: "patience", maxEpochs: 1, pi: 0, patience: 1, unsettledFitness: 0, pruning: null, seed: 1 },
        },
        onEpoch: async () => "continue",
        signal: new AbortController().signal,
      }),
    ).rejects.toThrow(/has hash .* the job wants not-this-one/);
  });
});
