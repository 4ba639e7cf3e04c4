import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { selectBackend, type BackendInfo } from "../backend.js";
import { fitBaseline } from "../baselines/index.js";
import { scoreSplit } from "../metrics/index.js";
import { DrnnModel, dimsFor, disposeInputs } from "../model.js";
import type { ChromosomeInput } from "../spec.js";
import { tinyDataset } from "../testing/tiny-dataset.js";
import { trainModel } from "../train/train.js";

const copyOn: ChromosomeInput = {
  w: 3, l: 2, h: 1, neurons: [16, 8], learningRate: 0.01, optimizer: "adam", activation: "relu", loss: "softmax",
  batchSize: 32, init: "xavier", history: true, fnnLayers: 0, fnnNeurons: 8, dropout: 0, pointer: true,
};
let backend: BackendInfo;

beforeAll(async () => {
  backend = await selectBackend("wasm");
});

function withModel<T>(d: ReturnType<typeof tinyDataset>, c: ChromosomeInput, seed: number, fn: (m: DrnnModel) => T): T {
  const m = DrnnModel.create(c, dimsFor(d), seed);
  try {
    return fn(m);
  } finally {
    m.dispose();
  }
}

describe("the copy mechanism (pointer gene)", () => {
  it("starts out ranking like S-POP", () => {
    const d = tinyDataset({ items: 8, sessions: 200, maxLength: 8, distractors: 0.4, seed: 3 });
    const spop = scoreSplit(d, "test", fitBaseline("spop", d));
    const untrained = withModel(d, copyOn, 1, (m) => scoreSplit(d, "test", m.ranker(d)));
    expect(spop.hit[1]).toBeLessThan(0.95);
    expect(Math.abs(untrained.hit[1] - spop.hit[1])).toBeLessThan(0.02);
    expect(Math.abs(untrained.mrr20 - spop.mrr20)).toBeLessThan(0.02);
  });

  it("ranks items the generator never had when the session shows them", () => {
    const d = tinyDataset({ items: 6, generatorItems: 3, sessions: 150, seed: 4 });
    expect(d.manifest.itemVocabulary).toBe(3);
    const [from, to] = d.manifest.splits.test.samples;
    const outside = Int32Array.from({ length: to - from }, (_, i) => from + i).filter((s) => (d.columns.targetItems[d.columns.sampleSession[s] ?? 0] ?? 0) >= 3);
    expect(outside.length).toBeGreaterThan(10);
    const top = withModel(d, copyOn, 1, (m) => m.ranker(d).rank(outside));
    const hits = Array.from(outside).filter((s, i) => top[i]?.[0] === d.columns.targetItems[d.columns.sampleSession[s] ?? 0]).length;
    expect(hits / outside.length).toBeGreaterThan(0.6);
    const generatorOnly = withModel(d, { ...copyOn, pointer: false }, 1, (m) => m.ranker(d).rank(outside));
    expect(generatorOnly.every((t) => t.every((item) => item < 3))).toBe(true);
  });

  it("is a distribution: slots and the generator's other items sum to one, for any weights", () => {
    const d = tinyDataset({ items: 6, sessions: 60, distractors: 0.3, seed: 5 });
    withModel(d, copyOn, 2, (m) => {
      // Move every copy weight off its S-POP start.
      for (const name of ["copyFeature", "copyContext", "copyGate", "copyGateBias"]) {
        const v = m.layer.variable(name);
        const shape = v.shape as number[];
        v.write(tf.tidy(() => tf.randomUniform(shape, -1, 1, "float32", 9)));
      }
      const samples = Int32Array.from({ length: 40 }, (_, i) => i);
      const feeder = m.feeder(d);
      const slots = feeder.slots(samples);
      const x = feeder.inputs(samples, slots);
      const total = tf.tidy(() => {
        const copy = m.outputs(x).copy;
        if (copy === undefined) throw new Error("no copy output");
        const slotMass = tf.sum(tf.mul(tf.exp(copy.logSlot), x.copy?.mask ?? tf.zeros([1])), 1);
        // Generator items the session showed are inside their slot's mass already.
        const shown = tf.sum(tf.mul(tf.exp(tf.reshape(tf.gather(tf.reshape(copy.logGenerator, [-1]), x.copy?.generatorIndex ?? tf.zeros([1], "int32")), [40, -1])), x.copy?.inGenerator ?? tf.zeros([1])), 1);
        const gate = tf.exp(tf.reshape(copy.logGate, [-1]));
        return tf.add(slotMass, tf.mul(gate, tf.sub(1, shown)));
      });
      Array.from(total.dataSync()).forEach((t, r) => expect(t, `row ${r}`).toBeCloseTo(1, 4));
      total.dispose();
      disposeInputs(x);
    });
  });

  it("training starts from S-POP and does not wreck it (issue: trained pointers fell below their start), leaking no tensors", async () => {
    const d = tinyDataset({ items: 8, sessions: 300, maxLength: 8, distractors: 0.5, seed: 6 });
    const spop = scoreSplit(d, "val", fitBaseline("spop", d));
    const before = tf.memory().numTensors;
    const epochs: { trainLoss: number; valAccuracy: number }[] = [];
    const r = await trainModel(d, copyOn, { rule: { policy: "patience", maxEpochs: 6, pi: 0, patience: 6, unsettledFitness: 0 }, seed: 2, backend, onEpoch: (e) => epochs.push(e) });
    expect(r.reason).not.toBe("nan-loss");
    expect(epochs.at(-1)?.trainLoss ?? Infinity).toBeLessThan(epochs[0]?.trainLoss ?? 0);
    expect(Math.max(...epochs.map((e) => e.valAccuracy))).toBeGreaterThan(spop.hit[1]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
