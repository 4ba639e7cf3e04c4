import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { selectBackend, type BackendInfo } from "../backend.js";
import type { ChromosomeInput } from "../spec.js";
import { knowableShare, tinyDataset } from "../testing/tiny-dataset.js";
import { fixedEpochs, patienceRule } from "../testing/rule.js";
import { evaluate } from "./evaluate.js";
import { FitnessRule, fitnessOf, type FitnessRuleOptions } from "./fitness.js";
import { splitSamples } from "./train.js";
import { PAPER_STEP_DECAY, learningRateAt } from "./optimizer.js";
import { trainModel, type EpochReport } from "./train.js";

const small: ChromosomeInput = {
  w: 3, l: 2, h: 1, neurons: [32, 16], learningRate: 0.02, optimizer: "adam", activation: "relu", loss: "softmax",
  batchSize: 32, init: "xavier", history: true, fnnLayers: 1, fnnNeurons: 8, dropout: 0, pointer: false,
};
let backend: BackendInfo;

beforeAll(async () => {
  backend = await selectBackend("wasm");
});

describe("fitness rule", () => {
  const paper = (o: Partial<FitnessRuleOptions> = {}) => new FitnessRule({ policy: "paper", maxEpochs: 5, pi: 0.01, patience: 1, unsettledFitness: 0, ...o });

  it("paper: stops once accuracy moves by less than pi and scores that epoch's accuracy + 1/(1 + loss)", () => {
    const rule = paper();
    expect(rule.observe(0.2, 1).stop).toBeUndefined(); // nothing to compare with yet
    expect(rule.observe(0.3, 1).stop).toBeUndefined();
    expect(rule.observe(0.305, 1)).toEqual({ keep: true, stop: "converged" });
    expect(rule.fitness("converged")).toBeCloseTo(0.805);
    expect(fitnessOf(0.5, 0)).toBe(1.5);
  });

  it("paper: gives the unsettled fitness when R epochs pass without settling, so R = 1 always scores it", () => {
    const rule = paper({ maxEpochs: 3, pi: 0.001, unsettledFitness: -1 });
    expect([0.1, 0.2, 0.3].map((a) => rule.observe(a, 1).stop)).toEqual([undefined, undefined, "unsettled"]);
    expect(rule.fitness("unsettled")).toBe(-1);
    const one = paper({ maxEpochs: 1 });
    expect(one.observe(0.4, 1).stop).toBe("unsettled");
    expect(one.fitness("unsettled")).toBe(0);
  });

  it("patience: scores the best epoch, stopping after `patience` epochs without an improvement of pi", () => {
    const rule = new FitnessRule(patienceRule({ maxEpochs: 10, patience: 2, pi: 0.01 }));
    expect(rule.observe(0.1, 1)).toEqual({ keep: true });
    expect(rule.observe(0.3, 1)).toEqual({ keep: true });
    expect(rule.observe(0.305, 1)).toEqual({ keep: true }); // better, but by less than pi: patience runs
    expect(rule.observe(0.2, 1)).toEqual({ keep: false, stop: "patience" });
    expect(rule.best).toEqual({ epoch: 3, accuracy: 0.305, loss: 1 });
    expect(rule.fitness("patience")).toBeCloseTo(0.805);
  });

  it("patience: a run still improving at R is scored at its best epoch; R = 1 is not zero", () => {
    const rule = new FitnessRule(patienceRule({ maxEpochs: 3 }));
    expect([0.1, 0.2, 0.3].map((a) => rule.observe(a, 2 - a).stop)).toEqual([undefined, undefined, "max-epochs"]);
    expect(rule.fitness("max-epochs")).toBeCloseTo(0.3 + 1 / 2.7);
    const one = new FitnessRule(patienceRule({ maxEpochs: 1 }));
    expect(one.observe(0.25, 3).stop).toBe("max-epochs");
    expect(one.fitness("max-epochs")).toBeCloseTo(0.5);
  });

  it("divides the learning rate by 5 every 100 epochs with the paper's decay", () => {
    expect(learningRateAt(0.1, 100, PAPER_STEP_DECAY)).toBeCloseTo(0.1);
    expect(learningRateAt(0.1, 101, PAPER_STEP_DECAY)).toBeCloseTo(0.02);
    expect(learningRateAt(0.1, 250, PAPER_STEP_DECAY)).toBeCloseTo(0.004);
  });
});

describe("training", () => {
  it("learns the tiny page -> item problem to at least 95% of the reachable validation accuracy, leaking no tensors", async () => {
    const data = tinyDataset({ items: 6, sessions: 150, window: 3, users: true });
    const ceiling = knowableShare(data, "val");
    expect(ceiling).toBeGreaterThan(0.85);
    const before = tf.memory().numTensors;
    const epochs: EpochReport[] = [];
    const r = await trainModel(data, small, { rule: { ...fixedEpochs(40), pi: 0.002 }, seed: 5, backend, onEpoch: (e) => epochs.push(e) });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.reason).toBe("converged");
    expect(r.accuracy).toBeGreaterThanOrEqual(0.95 * ceiling);
    expect(r.fitness).toBeCloseTo(r.accuracy + 1 / (1 + r.loss), 10);
    expect(r.backend).toBe("wasm");
    expect(epochs).toHaveLength(r.epochs.length);
    expect(Object.keys(epochs[0] ?? {})).toEqual(expect.arrayContaining(["epoch", "trainLoss", "valLoss", "valAccuracy", "seconds", "samplesPerSecond"]));
  });

  it("is reproducible from its seed", async () => {
    const data = tinyDataset({ sessions: 60 });
    const c = { ...small, dropout: 0.2, pointer: true };
    const run = () => trainModel(data, c, { rule: fixedEpochs(2), seed: 9, backend });
    const [a, b] = [await run(), await run()];
    expect(a.epochs.map((e) => e.trainLoss)).toEqual(b.epochs.map((e) => e.trainLoss));
    expect(a.loss).toBe(b.loss);
  });

  it("trains a window other than the dataset's, rebuilding windows and history", async () => {
    const data = tinyDataset({ sessions: 60, window: 3 });
    const r = await trainModel(data, { ...small, w: 2, loss: "sigmoid", optimizer: "rmsprop" }, { rule: fixedEpochs(2), seed: 2, backend, keepModel: true });
    expect(r.model?.spec.window).toBe(2);
    expect(Number.isFinite(r.loss)).toBe(true);
    r.model?.dispose();
  });

  it("trains a window of one state (w = 1), with and without the pointer", async () => {
    const data = tinyDataset({ sessions: 60 });
    for (const pointer of [false, true]) {
      const r = await trainModel(data, { ...small, w: 1, pointer }, { rule: fixedEpochs(2), seed: 4, backend });
      expect(r.epochs).toHaveLength(2);
      expect(Number.isFinite(r.loss)).toBe(true);
    }
  });

  it("turns a diverging run into fitness 0 with reason nan-loss", async () => {
    const data = tinyDataset({ sessions: 60 });
    const r = await trainModel(data, { ...small, optimizer: "sgd", learningRate: 1e30 }, { rule: fixedEpochs(3), seed: 1, backend });
    expect(r).toMatchObject({ fitness: 0, reason: "nan-loss", converged: false });
  });

  it("stops at the next batch when aborted", async () => {
    const data = tinyDataset({ sessions: 100 });
    const controller = new AbortController();
    const before = tf.memory().numTensors;
    setTimeout(() => controller.abort(), 30);
    const r = await trainModel(data, { ...small, batchSize: 4 }, { rule: fixedEpochs(50), seed: 1, backend, signal: controller.signal });
    expect(r.reason).toBe("aborted");
    expect(r.fitness).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("keeps the best validation epoch: the returned model, metrics and fitness are that epoch's, leaking no tensors", async () => {
    const data = tinyDataset({ items: 6, sessions: 80, window: 3 });
    // A learning rate high enough that validation wobbles, so the best epoch is rarely the last.
    const c = { ...small, learningRate: 0.1 };
    const before = tf.memory().numTensors;
    const r = await trainModel(data, c, { rule: patienceRule({ maxEpochs: 6, patience: 6, pi: 0 }), seed: 1, backend, keepModel: true });
    const fits = r.epochs.map((e) => fitnessOf(e.valAccuracy, e.valLoss));
    const best = fits.indexOf(Math.max(...fits)) + 1;
    expect(r.bestEpoch).toBe(best);
    expect(r.bestEpoch).toBeLessThan(r.epochs.length); // else restoring proves nothing
    expect(r.accuracy).toBe(r.epochs[best - 1]?.valAccuracy);
    expect(r.fitness).toBeCloseTo(Math.max(...fits), 10);
    if (!r.model) throw new Error("no model kept");
    const again = await evaluate(r.model, r.model.feeder(data), splitSamples(data, "val"));
    expect(again.accuracy).toBe(r.accuracy);
    expect(again.loss).toBeCloseTo(r.loss, 5);
    r.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("scores one epoch above zero under the default policy, and stops as pruned when asked", async () => {
    const data = tinyDataset({ sessions: 60 });
    const one = await trainModel(data, small, { rule: patienceRule({ maxEpochs: 1 }), seed: 1, backend });
    expect(one).toMatchObject({ reason: "max-epochs", bestEpoch: 1 });
    expect(one.fitness).toBeGreaterThan(0);
    const asked: number[] = [];
    const pruned = await trainModel(data, small, { rule: patienceRule({ maxEpochs: 5 }), seed: 1, backend, shouldPrune: (e, fit) => (asked.push(fit), e.epoch === 2) });
    expect(pruned.reason).toBe("pruned");
    expect(pruned.epochs).toHaveLength(2);
    expect(asked).toHaveLength(2);
    expect(pruned.fitness).toBeCloseTo(Math.max(...asked), 10);
  });
});
