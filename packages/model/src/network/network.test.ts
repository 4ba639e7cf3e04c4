import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { directoryHandler, loadModel, saveModel } from "../artifact.js";
import { selectBackend } from "../backend.js";
import { DrnnModel, dimsFor, disposeInputs } from "../model.js";
import { specFromChromosome, type ChromosomeInput } from "../spec.js";
import { tinyDataset } from "../testing/tiny-dataset.js";

const base: ChromosomeInput = {
  w: 3, l: 2, h: 1, neurons: [16, 8], learningRate: 0.05, optimizer: "adam", activation: "relu", loss: "softmax",
  batchSize: 32, init: "xavier", history: true, fnnLayers: 0, fnnNeurons: 8, dropout: 0, pointer: false,
};
const data = tinyDataset({ window: 3, users: true });
const dims = dimsFor(data);
const samples = Int32Array.from({ length: 24 }, (_, i) => i * 3);

function withModel<T>(c: ChromosomeInput, fn: (m: DrnnModel) => T): T {
  const m = DrnnModel.create(c, dims, 3);
  try {
    return fn(m);
  } finally {
    m.dispose();
  }
}

function lastProbs(m: DrnnModel, xPatch: (x: ReturnType<ReturnType<DrnnModel["feeder"]>["inputs"]>) => void = () => {}): Float32Array {
  const probs = tf.tidy(() => {
    const x = m.feeder(data).inputs(samples);
    xPatch(x);
    return m.predict(x);
  });
  const values = probs.dataSync() as Float32Array;
  probs.dispose();
  return values;
}

beforeAll(async () => {
  await selectBackend("wasm");
});

describe("spec from chromosome", () => {
  it("keeps the first l neurons and refuses genes that cannot make a network", () => {
    expect(specFromChromosome({ ...base, l: 1, neurons: [16, 8, 4] }).layers).toEqual([16]);
    expect(() => specFromChromosome({ ...base, ...JSON.parse('{"activation":"gelu"}') })).toThrow(/activation/);
    expect(() => specFromChromosome({ ...base, h: 3 })).toThrow(expect.objectContaining({ name: "InvalidSpecError" }));
  });
});

describe("network shapes and weight sharing", () => {
  it.each([
    { w: 1, l: 1, neurons: [8] },
    { w: 3, l: 2, neurons: [16, 8] },
    { w: 3, l: 3, neurons: [12, 10, 6], h: 2 },
  ])("gives [B, k, N] logits for %o", (genes) => {
    withModel({ ...base, ...genes }, (m) => {
      const shape = tf.tidy(() => m.logits(m.feeder(data).inputs(samples)).shape);
      expect(shape).toEqual([samples.length, genes.w, dims.items]);
    });
  });

  it("shares every weight across states: the parameter count does not grow with the window", () => {
    const count = (w: number) => withModel({ ...base, w }, (m) => m.network.countParams());
    expect(count(1)).toBe(count(3));
    expect(count(3)).toBe(count(6));
    withModel(base, (m) => {
      const names = m.network.getWeights().length;
      expect(names).toBe(2 + 2 + 3 + 1 + 1); // embed, dwell; w1 b1; z2 w2 b2; out2; outBias
    });
  });
});

describe("history state", () => {
  it("with history on, V_bar changes the prediction; empty history equals no history state", () => {
    withModel(base, (m) => {
      const plain = lastProbs(m);
      const shifted = lastProbs(m, (x) => {
        x.historyWeights = tf.onesLike(x.historyWeights as tf.Tensor2D);
      });
      const emptied = lastProbs(m, (x) => {
        x.historyWeights = tf.zerosLike(x.historyWeights as tf.Tensor2D);
      });
      expect(Math.max(...plain.map((p, i) => Math.abs(p - (shifted[i] ?? 0))))).toBeGreaterThan(1e-4);
      // Samples in the batch whose prefix fits the window have no history already: unchanged by zeroing.
      const k = base.w;
      const fits = Array.from(samples).map((s) => (data.columns.samplePrefix[s] ?? 0) <= k);
      fits.forEach((f, r) => {
        if (f) for (let j = 0; j < dims.items; j++) expect(emptied[r * dims.items + j]).toBeCloseTo(plain[r * dims.items + j] ?? 0, 5);
      });
    });
  });

  it("with history off, the model has no history inputs", () => {
    withModel({ ...base, history: false }, (m) => {
      expect(m.layer.layout.map((i) => i.name)).toEqual(["window", "dwell"]);
      expect(m.network.inputs).toHaveLength(2);
      expect(lastProbs(m).every(Number.isFinite)).toBe(true);
    });
  });
});

describe("FNN branch", () => {
  it("is absent at fnnLayers 0 and adds purchase-history logits when on", () => {
    withModel(base, (m) => expect(m.layer.weights.some((w) => w.name.includes("fnn"))).toBe(false));
    withModel({ ...base, fnnLayers: 2, fnnNeurons: 8 }, (m) => {
      expect(m.layer.weights.filter((w) => w.name.includes("fnn")).length).toBe(6);
      const plain = lastProbs(m);
      const none = lastProbs(m, (x) => {
        x.purchaseMask = tf.zerosLike(x.purchaseMask as tf.Tensor2D);
      });
      expect(none.every(Number.isFinite)).toBe(true);
      expect(Math.max(...plain.map((p, i) => Math.abs(p - (none[i] ?? 0))))).toBeGreaterThan(1e-5);
    });
  });
});

describe("shortcut links", () => {
  it("links the top h layers straight to the output", () => {
    const outs = (h: number) => withModel({ ...base, l: 3, neurons: [12, 10, 6], h }, (m) => m.layer.weights.filter((w) => /out\d/.test(w.name)).map((w) => w.shape));
    expect(outs(1)).toEqual([[6, dims.items]]);
    expect(outs(3)).toEqual([[6, dims.items], [10, dims.items], [12, dims.items]]);
    withModel({ ...base, l: 3, neurons: [12, 10, 6], h: 2 }, (m) => {
      const before = lastProbs(m);
      const v = m.layer.variable("out2");
      v.write(tf.mul(v.read(), 3));
      expect(Math.max(...before.map((p, i) => Math.abs(p - (lastProbs(m)[i] ?? 0))))).toBeGreaterThan(1e-5);
    });
  });
});

describe("save and load", () => {
  it("gives the same predictions from model.json + weights.bin, and through tf.loadLayersModel", async () => {
    const dir = mkdtempSync(join(tmpdir(), "drnn-model-"));
    const c = { ...base, fnnLayers: 1, pointer: true, l: 3, neurons: [12, 10, 6], h: 2 };
    const m = DrnnModel.create(c, dims, 11);
    const before = lastProbs(m);
    await saveModel(m, dir, { dataset: data, training: { fitness: 0.5 } });
    m.dispose();
    expect(readdirSync(dir).sort()).toEqual(["drnn.json", "item-train-counts.json", "items.txt", "model.json", "page-items.json", "pages.txt", "weights.bin"]);
    const loaded = await loadModel(dir);
    expect(loaded.meta.chromosome).toEqual(c);
    expect(loaded.vocabularies?.items).toEqual(data.items);
    const after = lastProbs(loaded.model);
    after.forEach((p, i) => expect(p).toBeCloseTo(before[i] ?? 0, 6));
    // The standard loader sees a plain LayersModel whose output is [B, k, N] logits.
    const plain = await tf.loadLayersModel(directoryHandler(dir));
    const x = loaded.model.feeder(data).inputs(samples);
    const viaPredict = plain.predict(loaded.model.layer.layout.map((s) => x[s.name] as tf.Tensor)) as tf.Tensor;
    expect(viaPredict.shape).toEqual([samples.length, c.w, dims.items]);
    tf.dispose(viaPredict);
    disposeInputs(x);
    plain.dispose();
    loaded.model.dispose();
  });
});

describe("tensor hygiene", () => {
  it("prediction and ranking leave no tensors behind", () => {
    withModel({ ...base, fnnLayers: 1, pointer: true }, (m) => {
      const before = tf.memory().numTensors;
      lastProbs(m);
      const ranks = m.ranker(data).rank(samples);
      expect(ranks).toHaveLength(samples.length);
      expect(ranks[0]).toHaveLength(Math.min(20, dims.items));
      expect(tf.memory().numTensors).toBe(before);
    });
  });
});
