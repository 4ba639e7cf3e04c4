// Each replaced kernel against the stock cpu kernel on random inputs.
import * as tf from "@tensorflow/tfjs";
import { Rng } from "@drnn/contract";
import { beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../backend.js";
import { trainModel } from "../train/train.js";
import type { ChromosomeInput } from "../spec.js";
import { tinyDataset } from "../testing/tiny-dataset.js";
import { blasBatchMatMulCpu, loadOpenBlas } from "./blas-batch-matmul.js";
import { fixedEpochs } from "../testing/rule.js";

const rng = Rng.fromSeed(42);
const random = (shape: number[]) => tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.float() * 2 - 1), shape);

// Taken before selectBackend() replaces anything: importing TF.js registers the stock cpu kernels.
const stockSegmentSum = tf.getKernel(tf.UnsortedSegmentSum, "cpu");
const stockMatMul = tf.getKernel(tf.BatchMatMul, "cpu");

/** Runs fn on the cpu backend with its stock kernels, as the reference. */
async function stockCpu<T>(fn: () => T): Promise<T> {
  const fixed = [tf.getKernel(tf.UnsortedSegmentSum, "cpu"), tf.getKernel(tf.BatchMatMul, "cpu")];
  const swap = (config: tf.KernelConfig | undefined) => {
    if (config === undefined) return;
    tf.unregisterKernel(config.kernelName, "cpu");
    tf.registerKernel(config);
  };
  swap(stockSegmentSum);
  swap(stockMatMul);
  const previous = tf.getBackend();
  await tf.setBackend("cpu");
  try {
    return fn();
  } finally {
    await tf.setBackend(previous);
    fixed.forEach(swap);
  }
}

const blas = loadOpenBlas();
const MATMUL_CASES = [
  { a: [7, 5], b: [5, 3], ta: false, tb: false },
  { a: [5, 7], b: [5, 3], ta: true, tb: false },
  { a: [7, 5], b: [3, 5], ta: false, tb: true },
  { a: [5, 7], b: [3, 5], ta: true, tb: true },
  { a: [4, 6, 5], b: [4, 3, 6], ta: true, tb: true },
  { a: [2, 6, 5], b: [5, 4], ta: false, tb: false },
  { a: [6, 5], b: [3, 5, 4], ta: false, tb: false },
  { a: [2, 3, 5, 6], b: [2, 3, 4, 5], ta: true, tb: true },
  { a: [1, 5, 6], b: [3, 6, 2], ta: false, tb: false },
  { a: [0, 5], b: [5, 3], ta: false, tb: false },
];

function close(a: tf.Tensor, b: number[] | Float32Array, tol = 1e-4): void {
  const got = a.dataSync();
  expect(got.length).toBe(b.length);
  got.forEach((v, i) => expect(Math.abs(v - (b[i] ?? 0))).toBeLessThan(tol * (1 + Math.abs(b[i] ?? 0))));
}

describe("fixed kernels", () => {
  beforeAll(async () => {
    await selectBackend("cpu");
    await selectBackend("wasm");
  });

  it.each(MATMUL_CASES)("wasm BatchMatMul (OpenBLAS when it loads, else transpose first) matches the reference for %o", async ({ a, b, ta, tb }) => {
    const [x, y] = [random(a), random(b)];
    const expected = await stockCpu(() => tf.matMul(tf.tensor(x.dataSync(), a), tf.tensor(y.dataSync(), b), ta, tb));
    expect(tf.getBackend()).toBe("wasm");
    const got = tf.matMul(x, y, ta, tb);
    expect(got.shape).toEqual(expected.shape);
    close(got, Array.from(expected.dataSync()));
    // The pure path, which also runs when OpenBLAS does not load.
    await selectBackend("wasm", { blas: false });
    close(tf.matMul(x, y, ta, tb), Array.from(expected.dataSync()));
    await selectBackend("wasm");
  });

  it("chooses OpenBLAS when libopenblas loads through koffi, and the pure kernel otherwise", async () => {
    const info = await selectBackend("wasm");
    if (blas === undefined) {
      expect(info.matmul).toBe("wasm");
      expect(info.fixedKernels).toContain("BatchMatMul (transpose first)");
    } else {
      expect(info.matmul).toMatch(/^openblas/);
      expect(info.fixedKernels).toContain("BatchMatMul (OpenBLAS)");
    }
    expect(loadOpenBlas(["libdoes-not-exist.so.0"])).toBeUndefined();
    const pure = await selectBackend("wasm", { blas: false });
    expect(pure.matmul).toBe("wasm");
    expect(pure.fixedKernels).toContain("BatchMatMul (transpose first)");
    await selectBackend("wasm");
  });

  it.runIf(blas !== undefined).each(MATMUL_CASES)("cpu BatchMatMul on OpenBLAS matches the stock kernel for %o", async ({ a, b, ta, tb }) => {
    const [x, y] = [random(a), random(b)];
    const expected = await stockCpu(() => tf.matMul(tf.tensor(x.dataSync(), a), tf.tensor(y.dataSync(), b), ta, tb));
    const kernel = blasBatchMatMulCpu(stockMatMul as tf.KernelConfig, blas as NonNullable<typeof blas>);
    const previous = tf.getKernel(tf.BatchMatMul, "cpu");
    tf.unregisterKernel(tf.BatchMatMul, "cpu");
    tf.registerKernel(kernel);
    await tf.setBackend("cpu");
    try {
      const got = tf.matMul(tf.tensor(x.dataSync(), a), tf.tensor(y.dataSync(), b), ta, tb);
      expect(got.shape).toEqual(expected.shape);
      close(got, Array.from(expected.dataSync()));
    } finally {
      tf.unregisterKernel(tf.BatchMatMul, "cpu");
      if (previous !== undefined) tf.registerKernel(previous);
      await tf.setBackend("wasm");
    }
  });

  it("wasm GatherV2 (row copy) matches the reference along axis 0 and falls back on other axes", async () => {
    const x = random([6, 3, 2]);
    const ids = [5, 0, 0, 3];
    for (const axis of [0, 1]) {
      const expected = await stockCpu(() => tf.gather(tf.tensor(x.dataSync(), [6, 3, 2]), tf.tensor1d(axis === 0 ? ids : [2, 0], "int32"), axis).dataSync());
      close(tf.gather(x, tf.tensor1d(axis === 0 ? ids : [2, 0], "int32"), axis), Array.from(expected));
    }
    const ints = tf.tensor2d([[1, 2], [3, 4]], [2, 2], "int32");
    expect(Array.from(tf.gather(ints, tf.tensor2d([[1, 1], [0, 1]], [2, 2], "int32")).dataSync())).toEqual([3, 4, 3, 4, 1, 2, 3, 4]);
  });

  it("segment sum (embedding gradient) matches the stock kernel on wasm and cpu", async () => {
    expect(tf.getKernel(tf.UnsortedSegmentSum, "cpu")?.kernelFunc).not.toBe(stockSegmentSum?.kernelFunc);
    const table = random([9, 4]);
    const ids = tf.tensor1d(Array.from({ length: 30 }, () => rng.int(0, 8)), "int32");
    const loss = (t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, ids), tf.range(0, 120).reshape([30, 4])));
    const expected = Array.from(await stockCpu(() => tf.grad(loss)(tf.tensor(table.dataSync(), [9, 4])).dataSync()));
    close(tf.grad(loss)(table), expected);
    const segs = tf.tensor1d([0, 2, 2, -1, 1], "int32");
    const x = random([5, 3]);
    const direct = Array.from(await stockCpu(() => tf.unsortedSegmentSum(tf.tensor(x.dataSync(), [5, 3]), tf.tensor1d([0, 2, 2, -1, 1], "int32"), 4).dataSync()));
    close(tf.unsortedSegmentSum(x, segs, 4), direct);
    await tf.setBackend("cpu");
    close(tf.unsortedSegmentSum(tf.tensor(x.dataSync(), [5, 3]), tf.tensor1d([0, 2, 2, -1, 1], "int32"), 4), direct);
    await tf.setBackend("wasm");
  });

  it.runIf(blas !== undefined)("the training curve on a fixed seed is the pure kernels' within tolerance", async () => {
    const data = tinyDataset({ items: 6, sessions: 120, window: 3, users: true });
    const chromosome: ChromosomeInput = {
      w: 3, l: 2, h: 1, neurons: [32, 16], learningRate: 0.02, optimizer: "adam", activation: "relu", loss: "softmax",
      batchSize: 32, init: "xavier", history: true, fnnLayers: 1, fnnNeurons: 8, dropout: 0, pointer: false,
    };
    const curve = async (useBlas: boolean) => {
      const backend = await selectBackend("wasm", { blas: useBlas });
      const r = await trainModel(data, chromosome, { rule: fixedEpochs(6), seed: 3, backend });
      return r.epochs.map((e) => [e.trainLoss, e.valLoss]).flat();
    };
    const pure = await curve(false);
    const fast = await curve(true);
    expect(fast).toHaveLength(pure.length);
    fast.forEach((v, i) => expect(Math.abs(v - (pure[i] ?? 0))).toBeLessThan(1e-3 * (1 + Math.abs(pure[i] ?? 0))));
    await selectBackend("wasm");
  });

  it.each([
    { shape: [6, 5], axis: [0], keepDims: false },
    { shape: [4, 3, 5], axis: [0, 1], keepDims: false },
    { shape: [4, 3, 5], axis: [1, 0], keepDims: true },
    { shape: [4, 3, 5], axis: [0], keepDims: true },
    { shape: [4, 3, 5], axis: [-1], keepDims: false },
    { shape: [4, 3, 5], axis: [0, 2], keepDims: false },
    { shape: [4, 3, 5], axis: [0, 1, 2], keepDims: false },
  ])("wasm Sum (leading axes in one pass, others stock) matches the reference for %o", async ({ shape, axis, keepDims }) => {
    const x = random(shape);
    const expected = await stockCpu(() => tf.sum(tf.tensor(x.dataSync(), shape), axis, keepDims));
    expect(tf.getBackend()).toBe("wasm");
    const got = tf.sum(x, axis, keepDims);
    expect(got.shape).toEqual(expected.shape);
    close(got, Array.from(expected.dataSync()));
    expect(Array.from(tf.sum(tf.tensor2d([[1, 2], [3, 4]], [2, 2], "int32"), 0).dataSync())).toEqual([4, 6]);
  });

  it.each([
    { shape: [4, 3, 5], begin: [1, 0, 0], size: [2, -1, -1] },
    { shape: [12], begin: [3], size: [7] },
    { shape: [4, 3, 5], begin: [0, 1, 0], size: [4, 1, 5] },
    { shape: [6, 5], begin: [2, 1], size: [3, 2] },
    { shape: [6, 5], begin: [5, 0], size: [1, -1] },
  ])("wasm Slice (contiguous: heap to heap; others stock) matches the reference for %o", async ({ shape, begin, size }) => {
    const x = random(shape);
    const expected = await stockCpu(() => tf.slice(tf.tensor(x.dataSync(), shape), begin, size));
    expect(tf.getBackend()).toBe("wasm");
    const got = tf.slice(x, begin, size);
    expect(got.shape).toEqual(expected.shape);
    close(got, Array.from(expected.dataSync()), 1e-7);
    expect(Array.from(tf.slice(tf.tensor1d([1, 2, 3, 4], "int32"), [1], [2]).dataSync())).toEqual([2, 3]);
  });

  it("the kernel timer counts kernel calls only while enabled", async () => {
    const info = await selectBackend("wasm", { timeKernels: true });
    const timer = info.kernelTimer;
    expect(timer).toBeDefined();
    if (timer === undefined) return;
    tf.matMul(random([4, 4]), random([4, 4]));
    expect(timer.totals()).toEqual([]);
    timer.enabled = true;
    const product = tf.matMul(random([4, 4]), random([4, 4]));
    timer.enabled = false;
    expect(timer.totals().find((t) => t.kernel === "BatchMatMul")?.calls).toBe(1);
    const expected = await stockCpu(() => tf.matMul(tf.tensor(product.dataSync(), [4, 4]), tf.eye(4)));
    close(tf.matMul(product, tf.eye(4)), Array.from(expected.dataSync()));
    await selectBackend("wasm");
  });
});
