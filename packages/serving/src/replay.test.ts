// The replay (drnn eval --replay) on a small synthetic shop: every prefix
// sample of the split is answered through the real session store in Redis
// and the serving path, and its metrics equal the offline evaluation of the
// same model on the prepared samples.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Redis } from "ioredis";
import { loadDataset, prepareDataset, writeSyntheticLog, type Dataset } from "@drnn/data";
import { DrnnModel, dimsFor, scoreSplit, selectBackend, vocabulariesOf, type ChromosomeInput } from "@drnn/model";
import { replaySplit } from "./replay.js";
import { ServingModel } from "./serving-model.js";
import { SessionStore } from "./session-store.js";

const CHROMOSOME: ChromosomeInput = {
  w: 3, l: 2, h: 2, neurons: [16, 8], learningRate: 0.01, optimizer: "adam", activation: "tanh", loss: "softmax",
  batchSize: 32, init: "xavier", history: true, fnnLayers: 1, fnnNeurons: 8, dropout: 0, pointer: true,
};

let redis: Redis;
let dir: string;
let d: Dataset;
const prefix = `${inject("queuePrefix")}-replay`;

beforeAll(async () => {
  await selectBackend("wasm");
  redis = new Redis(inject("redisUrl"));
  dir = mkdtempSync(join(tmpdir(), "drnn-replay-"));
  await writeSyntheticLog(join(dir, "log.jsonl"), { sessions: 240, seed: 8 });
  await prepareDataset({ format: "jsonl", input: join(dir, "log.jsonl"), out: join(dir, "ds") });
  d = loadDataset(join(dir, "ds"));
}, 60_000);

afterAll(async () => {
  await redis.quit();
  rmSync(dir, { recursive: true, force: true });
});

describe("replaySplit", () => {
  it.each(["auto", "tfjs"] as const)("gives the offline metrics of the same model, page view by page view through the session store (%s forward)", async (forward) => {
    const model = ServingModel.fromModel({ id: "r", name: "replay", version: 1 }, DrnnModel.create(CHROMOSOME, dimsFor(d), 4), vocabulariesOf(d), {}, { forward });
    try {
      const store = new SessionStore(redis, { prefix, ttlMs: 60_000 });
      const replay = await replaySplit(d, model, store, { split: "test", runId: `run-${forward}` });
      const offline = scoreSplit(d, "test", model.model.ranker(d));
      const [from, to] = d.manifest.splits.test.samples;
      expect(offline.samples).toBe(to - from);
      expect(offline.samples).toBeGreaterThan(50);
      expect(replay.pageViews).toBe(offline.samples);
      expect(replay.unknownItems).toBe(0);
      expect(replay.sources.drnn).toBe(offline.samples);
      const { hit, ...rest } = replay.metrics;
      const { hit: offlineHit, ...offlineRest } = offline;
      for (const k of [1, 5, 10, 20] as const) expect(hit[k], `hit@${k}`).toBeCloseTo(offlineHit[k], 6);
      for (const [name, value] of Object.entries(rest)) expect(value, name).toEqual(typeof value === "number" ? expect.closeTo(offlineRest[name as keyof typeof offlineRest] as number, 6) : offlineRest[name as keyof typeof offlineRest]);
      // Not a vacuous match: the untrained copy ranks like S-POP, well above nothing.
      expect(offline.hit[1]).toBeGreaterThan(0.2);
    } finally {
      model.retire();
    }
  }, 60_000);
});
