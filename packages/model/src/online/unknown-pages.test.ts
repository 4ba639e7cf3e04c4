// A batch scored by a model that does not know some of its pages: the page
// goes into the embedding as the out-of-vocabulary page, while the item it
// shows stays a copy candidate (the copy's slot features do not depend on the
// item), on the TF.js path and on the serving forward alike.
import * as tf from "@tensorflow/tfjs";
import { PAGE_OOV, sampleHistory, sessionDataset, type ClosedSession, type LogRecord, type ModelVocabulary } from "@drnn/data";
import { beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../backend.js";
import { scoreSplit } from "../metrics/ranking.js";
import { DrnnModel, disposeInputs } from "../model.js";
import { SessionScorer } from "../network/infer-session.js";
import type { ChromosomeInput } from "../spec.js";
import { WHOLE_BATCH } from "./fine-tune.js";

const chromosome: ChromosomeInput = {
  w: 3, l: 1, h: 1, neurons: [8], learningRate: 0.01, optimizer: "adam", activation: "tanh", loss: "softmax",
  batchSize: 8, init: "xavier", history: true, fnnLayers: 0, fnnNeurons: 0, dropout: 0, pointer: true,
};

/** The model knows pages p1 (item a) and p2 (item b); a and b are its generator. */
const VOCAB: ModelVocabulary = { pages: ["<pad>", "<oov>", "p1", "p2"], items: ["a", "b"], generatorItems: 2, pageItems: [-1, -1, 0, 1], itemTrainViews: [4, 2], itemTrainBuys: [2, 1] };
const DIMS = { pages: VOCAB.pages.length, items: 2, historyBag: 4, purchaseBag: 4, copySlots: 4 };

const T0 = Date.UTC(2026, 0, 1);
const view = (t: number, page: string, itemId: string): LogRecord => ({ sessionId: "s", timestamp: T0 + t * 60_000, page, event: "view", itemId });
/** Five views, three of them of p9 (item x), both new to the model, then a purchase of x. */
const SESSION: ClosedSession = {
  key: "s",
  records: [view(0, "p9", "x"), view(1, "p1", "a"), view(2, "p9", "x"), view(3, "p8", "y"), view(4, "p9", "x"), { sessionId: "s", timestamp: T0 + 5 * 60_000, page: "", event: "buy", itemId: "x" }],
};

beforeAll(async () => {
  await selectBackend("wasm");
});

describe("a batch with pages the model does not know", () => {
  const d = sessionDataset([SESSION], VOCAB, { window: 3, split: WHOLE_BATCH });
  const x = d.items.indexOf("x");
  const p9 = d.pages.indexOf("p9");
  const last = d.manifest.samples - 1;

  it("gives an unknown page an id after the model's pages, with the item it shows", () => {
    expect(d.manifest.pageVocabulary).toBe(DIMS.pages);
    expect(d.pages.slice(DIMS.pages)).toEqual(["p9", "p8"]);
    expect(p9).toBe(DIMS.pages);
    expect(x).toBeGreaterThanOrEqual(VOCAB.items.length);
    expect(d.columns.pageItems[p9]).toBe(x);
    expect(d.items[d.columns.pageItems[d.pages.indexOf("p8")] ?? -1]).toBe("y");
  });

  it("puts its item in the copy slots, ranks it first, never reads past the embedding, and leaks no tensor", () => {
    const model = DrnnModel.create(chromosome, DIMS, 7);
    const feeder = model.feeder(d);
    const samples = Int32Array.from({ length: d.manifest.samples }, (_, s) => s);
    const slots = feeder.slots(samples);
    expect(Array.from(slots[last]?.items.subarray(0, slots[last]?.count) ?? [])).toContain(x);
    const before = tf.memory().numTensors;
    const inputs = feeder.inputs(samples, slots);
    const windowIds = Array.from(inputs.window.dataSync());
    const historyIds = Array.from(inputs.historyPages?.dataSync() ?? []);
    expect(historyIds.length).toBeGreaterThan(0);
    for (const id of [...windowIds, ...historyIds]) expect(id).toBeLessThan(DIMS.pages);
    // The raw window of the last sample holds p9; the network sees <oov> there.
    expect(Array.from(d.columns.sampleWindow.subarray(last * 3, last * 3 + 3))).toContain(p9);
    expect(windowIds.slice(last * 3, last * 3 + 3)).toContain(PAGE_OOV);
    disposeInputs(inputs);
    const metrics = scoreSplit(d, "test", model.ranker(d));
    expect(tf.memory().numTensors).toBe(before);
    // x is bought, shown only by p9: reachable in every sample, first where p9 is the most viewed.
    expect(metrics.reachable).toBe(1);
    const ranked = model.ranker(d).rank(Int32Array.of(last));
    expect(ranked[0]?.[0]).toBe(x);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it("the serving forward takes the same raw page ids and ranks the same", () => {
    const model = DrnnModel.create(chromosome, DIMS, 7);
    const feeder = model.feeder(d);
    const slots = feeder.slots(Int32Array.of(last));
    const inputs = feeder.inputs(Int32Array.of(last), slots);
    const dwell = inputs.dwell.dataSync();
    disposeInputs(inputs);
    const history = sampleHistory(d, last);
    const scorer = new SessionScorer(model.layer.roles(), model.spec, model.dims, { products: "js" });
    const row = {
      window: d.columns.sampleWindow.subarray(last * 3, last * 3 + 3),
      dwell,
      historyPages: history.pages,
      historyWeights: history.weights,
      purchaseItems: new Int32Array(DIMS.purchaseBag),
      purchaseMask: new Float32Array(DIMS.purchaseBag),
      slots: slots[0] ?? { items: new Int32Array(0), features: new Float32Array(0), count: 0 },
    };
    expect(Math.max(...row.window, ...row.historyPages)).toBeGreaterThanOrEqual(DIMS.pages);
    const served = scorer.rank(row, 3);
    expect(served.items[0]).toBe(x);
    expect(Array.from(served.items)).toEqual(Array.from(model.ranker(d).rank(Int32Array.of(last))[0]?.subarray(0, 3) ?? []));
    model.dispose();
  });
});
