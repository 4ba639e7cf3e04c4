// Each replaced kernel against the stock cpu kernel on random inputs.
import * as tf from "@tensorflow/tfjs";
import { createRng } from "@drnn/data";
import { beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../backend.js";

const rng = createRng(42);
const random = (shape: number[]) => tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.next() * 2 - 1), shape);

// Taken before selectBackend() replaces anything: importing TF.js registers the stock cpu kernels.
const stockSegmentSum = tf.getKernel(tf.UnsortedSegmentSum, "cpu");

/** Runs fn on the cpu backend with its stock kernels, as the reference. */
async function stockCpu<T>(fn: () => T): Promise<T> {
  const fixed = tf.getKernel(tf.UnsortedSegmentSum, "cpu");
  const swap = (config: tf.KernelConfig | undefined) => {
    if (config === undefined) return;
    tf.unregisterKernel(tf.UnsortedSegmentSum, "cpu");
    tf.registerKernel(config);
  };
  swap(stockSegmentSum);
  const previous = tf.getBackend();
  await tf.setBackend("cpu");
  try {
    return fn();
  } finally {
    await tf.setBackend(previous);
    swap(fixed);
  }
}

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

  it.each([
    { a: [7, 5], b: [5, 3], ta: false, tb: false },
    { a: [5, 7], b: [5, 3], ta: true, tb: false },
    { a: [7, 5], b: [3, 5], ta: false, tb: true },
    { a: [5, 7], b: [3, 5], ta: true, tb: true },
    { a: [4, 6, 5], b: [4, 3, 6], ta: true, tb: true },
    { a: [2, 6, 5], b: [5, 4], ta: false, tb: false },
  ])("wasm BatchMatMul (transpose first) matches the reference for %o", async ({ a, b, ta, tb }) => {
    const [x, y] = [random(a), random(b)];
    const expected = await stockCpu(() => tf.matMul(tf.tensor(x.dataSync(), a), tf.tensor(y.dataSync(), b), ta, tb).dataSync());
    expect(tf.getBackend()).toBe("wasm");
    close(tf.matMul(x, y, ta, tb), Array.from(expected));
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
    const ids = tf.tensor1d(Array.from({ length: 30 }, () => rng.int(9)), "int32");
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
});
