import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { selectBackend, type BackendInfo } from "../backend.js";
import type { ChromosomeInput } from "../spec.js";
import { knowableShare, tinyDataset } from "../testing/tiny-dataset.js";
import { FitnessRule, fitnessOf } from "./fitness.js";
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
  it("stops once accuracy moves by less than pi and scores accuracy + 1/(1 + loss)", () => {
    const rule = new FitnessRule({ maxEpochs: 5, pi: 0.01, unsettledFitness: 0 });
    expect(rule.observe(0.2)).toBe("continue"); // nothing to compare with yet
    expect(rule.observe(0.3)).toBe("continue");
    expect(rule.observe(0.305)).toBe("converged");
    expect(rule.fitness("converged", 0.3, 1)).toBeCloseTo(0.8);
    expect(fitnessOf(0.5, 0)).toBe(1.5);
  });

  it("gives the unsettled fitness when R epochs pass without settling", () => {
    const rule = new FitnessRule({ maxEpochs: 3, pi: 0.001, unsettledFitness: -1 });
    expect([0.1, 0.2, 0.3].map((a) => rule.observe(a))).toEqual(["continue", "continue", "unsettled"]);
    expect(rule.fitness("unsettled", 0.3, 1)).toBe(-1);
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
    const r = await trainModel(data, small, { maxEpochs: 40, pi: 0.002, seed: 5, backend, onEpoch: (e) => epochs.push(e) });
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
    const run = () => trainModel(data, c, { maxEpochs: 2, seed: 9, backend });
    const [a, b] = [await run(), await run()];
    expect(a.epochs.map((e) => e.trainLoss)).toEqual(b.epochs.map((e) => e.trainLoss));
    expect(a.loss).toBe(b.loss);
  });

  it("trains a window other than the dataset's, rebuilding windows and history", async () => {
    const data = tinyDataset({ sessions: 60, window: 3 });
    const r = await trainModel(data, { ...small, w: 2, loss: "sigmoid", optimizer: "rmsprop" }, { maxEpochs: 2, seed: 2, backend, keepModel: true });
    expect(r.model?.spec.window).toBe(2);
    expect(Number.isFinite(r.loss)).toBe(true);
    r.model?.dispose();
  });

  it("trains a window of one state (w = 1), with and without the pointer", async () => {
    const data = tinyDataset({ sessions: 60 });
    for (const pointer of [false, true]) {
      const r = await trainModel(data, { ...small, w: 1, pointer }, { maxEpochs: 2, seed: 4, backend });
      expect(r.epochs).toHaveLength(2);
      expect(Number.isFinite(r.loss)).toBe(true);
    }
  });

  it("turns a diverging run into fitness 0 with reason nan-loss", async () => {
    const data = tinyDataset({ sessions: 60 });
    const r = await trainModel(data, { ...small, optimizer: "sgd", learningRate: 1e30 }, { maxEpochs: 3, seed: 1, backend });
    expect(r).toMatchObject({ fitness: 0, reason: "nan-loss", converged: false });
  });

  it("stops at the next batch when aborted", async () => {
    const data = tinyDataset({ sessions: 100 });
    const controller = new AbortController();
    const before = tf.memory().numTensors;
    setTimeout(() => controller.abort(), 30);
    const r = await trainModel(data, { ...small, batchSize: 4 }, { maxEpochs: 50, seed: 1, backend, signal: controller.signal });
    expect(r.reason).toBe("aborted");
    expect(r.fitness).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
  });
});
