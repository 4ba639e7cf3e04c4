import * as tf from "@tensorflow/tfjs";
import { EMPTY_VOCABULARY, growVocabulary, sessionDataset, shopSessions } from "@drnn/data";
import { beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../backend.js";
import { DrnnModel } from "../model.js";
import type { ChromosomeInput } from "../spec.js";
import { fixedEpochs } from "../testing/rule.js";
import { trainModel } from "../train/train.js";
import { fineTune, scoreSessions, scoreSpopOnBatch, WHOLE_BATCH, type LiveModel } from "./fine-tune.js";
import { growModel } from "./grow.js";

const small: ChromosomeInput = {
  w: 3, l: 1, h: 1, neurons: [24], learningRate: 0.03, optimizer: "adam", activation: "tanh", loss: "softmax",
  batchSize: 16, init: "xavier", history: true, fnnLayers: 1, fnnNeurons: 4, dropout: 0, pointer: false,
};
const SPLIT = { train: 0.7, val: 0.1 };

beforeAll(async () => {
  await selectBackend("wasm");
});

/** A model trained on items 0..3 only. */
async function firstModel(chromosome: ChromosomeInput = small): Promise<LiveModel> {
  const sessions = shopSessions(1, 200, { from: 0, to: 4 }, 0);
  const vocabulary = growVocabulary(EMPTY_VOCABULARY, sessions, { split: SPLIT }).vocabulary;
  const d = sessionDataset(sessions, vocabulary, { window: 3, split: SPLIT });
  const r = await trainModel(d, chromosome, { rule: fixedEpochs(8), seed: 3, keepModel: true });
  if (r.model === undefined) throw new Error(`no model: ${r.reason}`);
  return { model: r.model, vocabulary };
}

async function values(m: DrnnModel, name: string): Promise<number[]> {
  return Array.from((await m.layer.variable(name).read().data()) as Float32Array);
}

describe("growModel", () => {
  it("keeps every trained row and initialises the new ones as a model built with the grown sizes", async () => {
    const base = DrnnModel.create({ ...small, pointer: true }, { pages: 5, items: 3, historyBag: 4, purchaseBag: 4, copySlots: 4 }, 11);
    const before = tf.memory().numTensors;
    const grown = await growModel(base, { pages: 7, items: 4 }, 12);
    const reference = DrnnModel.create({ ...small, pointer: true }, { ...base.dims, pages: 7, items: 4 }, 12);
    const [embed, embedRef, embedOld] = await Promise.all([values(grown, "embed"), values(reference, "embed"), values(base, "embed")]);
    expect(embed.slice(0, 5 * 24)).toEqual(embedOld);
    expect(embed.slice(5 * 24)).toEqual(embedRef.slice(5 * 24));
    const [out, outOld, outRef] = await Promise.all([values(grown, "out1"), values(base, "out1"), values(reference, "out1")]);
    for (let r = 0; r < 24; r++) {
      expect(out.slice(r * 4, r * 4 + 3)).toEqual(outOld.slice(r * 3, r * 3 + 3));
      expect(out[r * 4 + 3]).toBe(outRef[r * 4 + 3]);
    }
    expect((await values(grown, "fnnIn")).slice(0, 3 * 4)).toEqual(await values(base, "fnnIn"));
    expect(await values(grown, "copyGateBias")).toEqual(await values(base, "copyGateBias"));
    reference.dispose();
    grown.dispose();
    expect(tf.memory().numTensors).toBe(before);
    base.dispose();
    await expect(growModel(base, { pages: 4, items: 3 }, 1)).rejects.toThrow(/only grows/);
  });
});

describe("fineTune", () => {
  it("learns items the live model never saw, scores both on the newest sessions, and leaks no tensor", async () => {
    const live = await firstModel();
    // The new batch: half the purchases are of items 4 and 5, new to the model.
    const batch = shopSessions(2, 160, { from: 2, to: 6 }, 1000);
    const before = tf.memory().numTensors;
    const r = await fineTune(live, batch, { seed: 5, rule: fixedEpochs(8) });
    expect(r.growth).toMatchObject({ addedGeneratorItems: 2, addedItems: 2 });
    expect(r.growth.addedPages).toBe(4);
    expect(r.candidate.dims).toMatchObject({ pages: live.model.dims.pages + 4, items: live.model.dims.items + 2 });
    // The same holdout samples for both.
    expect(r.holdout.candidate.samples).toBe(r.holdout.live.samples);
    expect(r.holdout.candidate.samples).toBeGreaterThan(40);
    // Items 4 and 5 cannot be ranked by the live model: it misses about half the holdout.
    expect(r.holdout.live.accuracy).toBeLessThan(0.65);
    expect(r.holdout.candidate.accuracy).toBeGreaterThan(r.holdout.live.accuracy + 0.2);
    expect(r.holdout.candidate.mrr20).toBeGreaterThan(r.holdout.live.mrr20);
    r.candidate.dispose();
    expect(tf.memory().numTensors).toBe(before);
    // The live model is untouched: it scores the batch as before.
    const again = scoreSessions(live, batch, SPLIT);
    expect(again).toEqual(r.holdout.live);
    live.model.dispose();
  });

  it("scores a whole batch through the model's own vocabulary", async () => {
    const live = await firstModel({ ...small, pointer: true });
    const known = scoreSessions(live, shopSessions(4, 60, { from: 0, to: 4 }, 2000), WHOLE_BATCH);
    const unknown = scoreSessions(live, shopSessions(4, 60, { from: 6, to: 8 }, 2000), WHOLE_BATCH);
    expect(known.sessions).toBe(60);
    expect(known.accuracy).toBeGreaterThan(0.8);
    // Pages it never saw go into the embedding as <oov>, but the items they show stay copy candidates:
    // the same samples reachable as for S-POP (every page known), none beyond them (no generator item).
    const spop = scoreSpopOnBatch(live, shopSessions(4, 60, { from: 6, to: 8 }, 2000));
    expect(unknown.samples).toBe(spop.samples);
    expect(unknown.reachable).toBeGreaterThan(0.9);
    expect(unknown.reachable).toBe(spop.reachable);
    expect(unknown.hit[20]).toBe(unknown.reachable);
    expect(unknown.accuracy).toBeGreaterThan(0.9);
    live.model.dispose();
  });
});
