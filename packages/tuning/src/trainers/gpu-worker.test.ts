// A GPU worker: several candidates at once on one WebGPU adapter (here
// lavapipe), each thread with its own device; a candidate too large for the
// memory is refused before it starts, as out-of-memory, and the others train.
// Skipped, saying why, only where no WebGPU adapter exists (CI requires one).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDataset, prepareDataset, writeSyntheticLog, type Dataset } from "@drnn/data";
import { CHROMOSOME_DEFAULTS } from "@drnn/contract";
import { probeWebGpu } from "@drnn/model";
import type { FitnessResult } from "@drnn/queue";
import type { EpochReport } from "../trainer.js";
import { DrnnThreadTrainer } from "./drnn-thread.js";

const probe = await probeWebGpu();
const missing = probe.ok ? undefined : probe.reason;
if (missing !== undefined && process.env["DRNN_REQUIRE_WEBGPU"] === "1") throw new Error(`DRNN_REQUIRE_WEBGPU=1, but ${missing}`);
if (missing !== undefined) console.warn(`gpu worker tests skipped: ${missing}`);

const MEMORY = 256 * 2 ** 20;
let dataset: Dataset;
let trainer: DrnnThreadTrainer;
const dir = mkdtempSync(join(tmpdir(), "drnn-gpu-worker-"));

describe.skipIf(missing !== undefined)("a GPU worker with --concurrency 2 on webgpu", () => {
  beforeAll(async () => {
    await writeSyntheticLog(join(dir, "log.jsonl"), { sessions: 200, seed: 3 });
    await prepareDataset({ format: "jsonl", input: join(dir, "log.jsonl"), out: join(dir, "ds") });
    dataset = loadDataset(join(dir, "ds"));
    trainer = await DrnnThreadTrainer.start({ threads: 2, backend: "webgpu", memoryBytes: MEMORY });
  }, 120_000);
  afterAll(() => trainer?.close());

  function train(neurons: number[], events: string[], name: string): Promise<FitnessResult> {
    return trainer.train({
      payload: {
        campaignId: randomUUID(),
        candidateId: randomUUID(),
        hash: randomUUID(),
        chromosome: { ...CHROMOSOME_DEFAULTS, w: 3, l: neurons.length, h: 1, neurons, batchSize: 64, learningRate: 0.01, optimizer: "adam", fnnLayers: 0, fnnNeurons: 8 },
        dataset: { id: randomUUID(), contentHash: dataset.manifest.contentHash, location: dataset.dir },
        training: { policy: "patience", maxEpochs: 6, pi: 0, patience: 6, unsettledFitness: 0, pruning: null, seed: 5 },
      },
      onEpoch: async (e: EpochReport) => (events.push(`${name} epoch ${e.epoch}`), "continue" as const),
      signal: new AbortController().signal,
    }).then((r) => (events.push(`${name} done`), r));
  }

  it("trains two candidates at the same time and fails only the one that cannot fit, as out-of-memory", async () => {
    expect(trainer.backend).toBe("webgpu");
    expect(trainer.memory).toMatchObject({ bytes: MEMORY, source: "DRNN_WORKER_MEMORY_MB" });
    const events: string[] = [];
    // Three 4096 x 4096 recurrent weights with their gradients and Adam's moments: far over 256 MiB.
    const [a, b, huge] = await Promise.all([train([16], events, "a"), train([12], events, "b"), train([4096, 4096, 4096], events, "huge")]);
    expect(huge).toMatchObject({ reason: "out-of-memory", fitness: 0, epochs: 0 });
    for (const r of [a, b]) {
      expect(r.reason).not.toBe("out-of-memory");
      expect(r.backend).toBe("webgpu");
      expect(r.epochs).toBe(6);
    }
    expect(a.device).toMatch(/webgpu via Dawn/);
    // Both ran at once: the one that finished last had reported an epoch before the other finished.
    const [first, last] = events.indexOf("a done") < events.indexOf("b done") ? ["a", "b"] : ["b", "a"];
    expect(events.indexOf(`${last} epoch 1`), events.join(", ")).toBeLessThan(events.indexOf(`${first} done`));
  }, 240_000);
});
