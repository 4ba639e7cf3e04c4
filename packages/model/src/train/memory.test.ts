import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { selectBackend, type BackendInfo } from "../backend.js";
import { dimsFor } from "../model.js";
import { specFromChromosome, type ChromosomeInput } from "../spec.js";
import { tinyDataset } from "../testing/tiny-dataset.js";
import { backendMemoryLimit, trainingBytes } from "./memory.js";
import { isOutOfMemory, trainModel } from "./train.js";

const small: ChromosomeInput = {
  w: 3, l: 2, h: 1, neurons: [16, 8], learningRate: 0.01, optimizer: "adam", activation: "relu", loss: "softmax",
  batchSize: 32, init: "xavier", history: true, fnnLayers: 0, fnnNeurons: 8, dropout: 0, pointer: true,
};
const rule = { policy: "patience" as const, maxEpochs: 1, pi: 0, patience: 1, unsettledFitness: 0 };
let backend: BackendInfo;

beforeAll(async () => {
  backend = await selectBackend("wasm");
});

describe("out of memory", () => {
  it("recognises every backend's way of running out, wasm's out-of-bounds access included", () => {
    expect(isOutOfMemory(Object.assign(new Error("memory access out of bounds"), { name: "RuntimeError" }))).toBe(true);
    expect(isOutOfMemory(new RangeError("WebAssembly.Memory.grow(): Maximum memory size exceeded"))).toBe(true);
    expect(isOutOfMemory(new RangeError("Array buffer allocation failed"))).toBe(true);
    expect(isOutOfMemory(new TypeError("x is not a function"))).toBe(false);
  });

  it("estimates more memory for a wider model and for a bigger batch; the paper's defaults exceed a wasm heap on a YOOCHOOSE-sized item set", () => {
    const dims = { pages: 20_000, items: 16_000, historyBag: 16, purchaseBag: 32, copySlots: 32 };
    const base = trainingBytes(specFromChromosome(small), dims);
    expect(trainingBytes(specFromChromosome({ ...small, neurons: [64, 32] }), dims)).toBeGreaterThan(base);
    expect(trainingBytes(specFromChromosome({ ...small, batchSize: 64 }), dims)).toBeGreaterThan(base);
    const paper = { ...small, w: 4, l: 3, neurons: [1000, 1000, 100], batchSize: 9000, fnnLayers: 3, fnnNeurons: 1000 };
    expect(trainingBytes(specFromChromosome(paper), dims)).toBeGreaterThan(backendMemoryLimit("wasm"));
  });

  it("fails a chromosome that does not fit before building it: reason out-of-memory, fitness 0, nothing allocated", async () => {
    const d = tinyDataset({});
    const before = tf.memory().numTensors;
    const need = trainingBytes(specFromChromosome(small), dimsFor(d));
    const r = await trainModel(d, small, { rule, seed: 1, backend, memoryLimitBytes: need - 1 });
    expect(r).toMatchObject({ reason: "out-of-memory", fitness: 0, epochs: [] });
    expect(r.detail).toMatch(/MiB/);
    expect(tf.memory().numTensors).toBe(before);
    const fits = await trainModel(d, small, { rule, seed: 1, backend, memoryLimitBytes: need });
    expect(fits.reason).not.toBe("out-of-memory");
  });
});
