// The fused kernels (native library and JavaScript loops) against the stock
// TF.js ops they replace, on random inputs, and the training curve with and
// without them.
import { existsSync } from "node:fs";
import * as tf from "@tensorflow/tfjs";
import { Rng } from "@drnn/contract";
import { afterAll, describe, expect, it } from "vitest";
import { selectBackend } from "../backend.js";
import { bagSum, biasActivation, softmaxCrossEntropy } from "../ops/index.js";
import type { ActivationName, ChromosomeInput } from "../spec.js";
import { tinyDataset } from "../testing/tiny-dataset.js";
import { FusedAdamOptimizer } from "../train/fused-adam.js";
import { trainModel } from "../train/train.js";
import { jsFusedKernels, loadNativeKernels, NATIVE_LIBRARY } from "./index.js";
import { fixedEpochs } from "../testing/rule.js";

const rng = Rng.fromSeed(7);
const randomValues = (n: number, scale: number) => Float32Array.from({ length: n }, () => (rng.float() * 2 - 1) * scale);
const native = loadNativeKernels();
const KERNELS = [{ name: "js", native: false }, ...(native === undefined ? [] : [{ name: "native", native: true }])];
const BACKENDS = ["wasm", "cpu"] as const;

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tol: number): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(Math.abs((got[i] ?? 0) - (want[i] ?? 0))).toBeLessThan(tol * (1 + Math.abs(want[i] ?? 0)));
}

/** Loss [B, S] and d(sum of loss * w)/d logits, on whatever kernels are registered now. */
function lossAndGrad(logits: Float32Array, target: Float32Array, weights: Float32Array, [b, s, n]: number[]): { loss: Float32Array; grad: Float32Array } {
  return tf.tidy(() => {
    const x = tf.tensor3d(logits, [b ?? 0, s ?? 0, n ?? 0]);
    const t = tf.tensor2d(target, [b ?? 0, n ?? 0]);
    const w = tf.tensor2d(weights, [b ?? 0, s ?? 0]);
    const loss = softmaxCrossEntropy(x, t);
    const grad = tf.grad((l: tf.Tensor) => tf.sum(tf.mul(softmaxCrossEntropy(l as tf.Tensor3D, t), w)))(x);
    return { loss: loss.dataSync() as Float32Array, grad: grad.dataSync() as Float32Array };
  });
}

/** y = f(z + b) * mask and the gradients of sum(y * w) with respect to z and b. */
function biasActAndGrads(z: Float32Array, b: Float32Array, mask: Float32Array | undefined, w: Float32Array, [r, e]: [number, number], f: ActivationName): Float32Array[] {
  return tf.tidy(() => {
    const zt = tf.tensor2d(z, [r, e]);
    const bt = tf.tensor1d(b);
    const m = mask === undefined ? undefined : tf.tensor2d(mask, [r, 1]);
    const wt = tf.tensor2d(w, [r, e]);
    const y = biasActivation(zt, bt, f, m);
    const [dz, db] = tf.grads((a: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(biasActivation(a as tf.Tensor2D, c as tf.Tensor1D, f, m), wt)))([zt, bt]);
    return [y, dz, db].map((t) => (t as tf.Tensor).dataSync() as Float32Array);
  });
}

describe("fused kernels", () => {
  afterAll(async () => {
    await selectBackend("wasm");
  });

  it("the native library loads where it was built, and computes what the JavaScript loops compute", () => {
    if (!existsSync(NATIVE_LIBRARY)) {
      expect(native).toBeUndefined();
      return;
    }
    expect(native?.source).toMatch(/^native/);
    const [b, s, n] = [3, 2, 9];
    const logits = randomValues(b * s * n, 30);
    const target = new Float32Array(b * n);
    target[1] = 0.5;
    target[4] = 0.5;
    target[n + 2] = 1;
    const run = (k: typeof jsFusedKernels) => {
      const loss = new Float32Array(b * s);
      const probs = new Float32Array(b * s * n);
      k.softmaxXent(logits, target, b, s, n, loss, probs);
      return [...loss, ...probs];
    };
    expectClose(run(native as typeof jsFusedKernels), run(jsFusedKernels), 1e-5);
  });

  for (const backend of BACKENDS) {
    for (const k of KERNELS) {
      it(`softmax cross-entropy on ${backend} (${k.name}) matches the stock ops, value and gradient`, async () => {
        const shape = [4, 3, 11];
        const logits = randomValues(4 * 3 * 11, 8);
        logits[5] = 85; // a logit far above the rest
        logits[40] = -90; // and one far below
        const target = new Float32Array(4 * 11);
        target[2] = 1; // one item
        [14, 15, 20].forEach((j) => (target[j] = 1 / 3)); // a set of three
        // row 2 has no target at all (no in-vocabulary item): loss and gradient 0
        target[3 * 11 + 10] = 1;
        const weights = randomValues(12, 1);
        await selectBackend(backend, { fused: false });
        const stock = lossAndGrad(logits, target, weights, shape);
        await selectBackend(backend, { native: k.native });
        const before = tf.memory().numTensors;
        const fused = lossAndGrad(logits, target, weights, shape);
        expect(tf.memory().numTensors).toBe(before);
        expectClose(fused.loss, stock.loss, 1e-5);
        expectClose(fused.grad, stock.grad, 1e-5);
        expect(Array.from(fused.loss.subarray(6, 9))).toEqual([0, 0, 0]);
      });

      it(`Adam on ${backend} (${k.name}) takes tf.train.adam's steps`, async () => {
        const init = randomValues(6 * 5, 1);
        const grads = Array.from({ length: 5 }, () => randomValues(6 * 5, 2));
        const run = (optimizer: tf.Optimizer) => {
          const w = tf.tidy(() => tf.variable(tf.tensor2d(init, [6, 5]), true, `adam-test-${optimizer.constructor.name}-${backend}-${k.name}`));
          for (const g of grads) tf.tidy(() => optimizer.applyGradients({ [w.name]: tf.tensor2d(g, [6, 5]) }));
          const out = w.dataSync().slice();
          w.dispose();
          optimizer.dispose();
          return out;
        };
        await selectBackend(backend, { fused: false });
        const stock = run(tf.train.adam(0.05));
        await selectBackend(backend, { native: k.native });
        const before = tf.memory().numTensors;
        const fused = run(new FusedAdamOptimizer(0.05));
        expect(tf.memory().numTensors).toBe(before);
        expectClose(fused, stock, 1e-5);
        expect(Array.from(fused)).not.toEqual(Array.from(init));
      });
    }
  }

  for (const backend of BACKENDS) {
    for (const k of KERNELS) {
      it.each(["relu", "tanh", "sigmoid"] as const)(`bias + %s + padding mask on ${backend} (${k.name}) matches the stock ops, value and gradients`, async (f) => {
        const [r, e] = [6, 5];
        const z = randomValues(r * e, 3);
        const b = randomValues(e, 1);
        const w = randomValues(r * e, 1);
        const mask = Float32Array.from([1, 0, 1, 1, 0, 1]);
        await selectBackend(backend, { fused: false });
        const stock = [...biasActAndGrads(z, b, mask, w, [r, e], f), ...biasActAndGrads(z, b, undefined, w, [r, e], f)];
        await selectBackend(backend, { native: k.native });
        const before = tf.memory().numTensors;
        const fused = [...biasActAndGrads(z, b, mask, w, [r, e], f), ...biasActAndGrads(z, b, undefined, w, [r, e], f)];
        expect(tf.memory().numTensors).toBe(before);
        fused.forEach((got, i) => expectClose(got, stock[i] as Float32Array, 1e-5));
        // A padding row is zero and passes no gradient.
        expect(Array.from((fused[0] as Float32Array).subarray(e, 2 * e))).toEqual([0, 0, 0, 0, 0]);
        expect(Array.from((fused[1] as Float32Array).subarray(e, 2 * e))).toEqual([0, 0, 0, 0, 0]);
      });
    }
  }

  for (const backend of BACKENDS) {
    for (const k of KERNELS) {
      it(`weighted bag sum on ${backend} (${k.name}) matches gather, multiply and sum: value and table gradient`, async () => {
        const table = randomValues(6 * 4, 1);
        const ids = Int32Array.from([0, 5, 5, 2, 3, 0, 1, 4, 0]);
        const weights = Float32Array.from([0.5, 1, 2, 0, 0.25, 0, 1, 1, 0]);
        const g = randomValues(3 * 4, 1);
        const run = () =>
          tf.tidy(() => {
            const t = tf.tensor2d(table, [6, 4]);
            const i = tf.tensor2d(ids, [3, 3], "int32");
            const wt = tf.tensor2d(weights, [3, 3]);
            const gt = tf.tensor2d(g, [3, 4]);
            const value = bagSum(t, i, wt);
            const grad = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(bagSum(x as tf.Tensor2D, i, wt), gt)))(t);
            return [value.dataSync(), grad.dataSync()] as Float32Array[];
          });
        await selectBackend(backend, { fused: false });
        const stock = run();
        await selectBackend(backend, { native: k.native });
        const before = tf.memory().numTensors;
        const fused = run();
        expect(tf.memory().numTensors).toBe(before);
        fused.forEach((got, i) => expectClose(got, stock[i] as Float32Array, 1e-5));
      });
    }
  }

  it("dropout masks: the native and JavaScript streams are identical, values 0 or 1/keep at rate keep", () => {
    const js = new Float32Array(20_000);
    jsFusedKernels.dropoutMask(12345, 0.7, js.length, js);
    expect(new Set(js)).toEqual(new Set([0, Math.fround(1 / 0.7)]));
    const kept = js.filter((v) => v > 0).length / js.length;
    expect(Math.abs(kept - 0.7)).toBeLessThan(0.02);
    const other = new Float32Array(20_000);
    jsFusedKernels.dropoutMask(12346, 0.7, other.length, other);
    expect(Array.from(other)).not.toEqual(Array.from(js));
    if (native === undefined) return;
    const c = new Float32Array(20_000);
    native.dropoutMask(12345, 0.7, c.length, c);
    expect(Array.from(c)).toEqual(Array.from(js));
  });

  it("the native sums (bias and embedding gradients) equal the JavaScript loops", () => {
    if (native === undefined) return;
    const x = randomValues(7 * 4, 2);
    const ids = Int32Array.from([0, 3, 3, -1, 2, 9, 0]);
    const run = (k: typeof jsFusedKernels) => {
      const rows = new Float32Array(4);
      const segments = new Float32Array(5 * 4);
      k.sumRows(x, 7, 4, rows);
      k.segmentSum(x, ids, 7, 4, 5, segments);
      return [...rows, ...segments];
    };
    expectClose(run(native), run(jsFusedKernels), 1e-6);
  });

  it("the Adam state survives getWeights / setWeights", async () => {
    await selectBackend("wasm");
    const w = tf.variable(tf.tensor1d([1, 2, 3]), true, "adam-state-test");
    const a = new FusedAdamOptimizer(0.1);
    const b = new FusedAdamOptimizer(0.1);
    tf.tidy(() => a.applyGradients({ [w.name]: tf.tensor1d([0.5, -1, 2]) }));
    await b.setWeights(await a.getWeights());
    const step = (o: tf.Optimizer) => {
      const saved = w.dataSync().slice();
      tf.tidy(() => o.applyGradients({ [w.name]: tf.tensor1d([1, 1, -1]) }));
      const out = w.dataSync().slice();
      w.assign(tf.tensor1d(saved));
      return out;
    };
    expectClose(step(b), step(a), 1e-6);
    tf.dispose([w]);
    a.dispose();
    b.dispose();
  });

  it("wasm Identity and Cast share the buffer: the copy outlives the original", async () => {
    await selectBackend("wasm");
    const before = tf.memory().numTensors;
    const x = tf.tensor1d([1, 2, 3]);
    const copy = tf.clone(x);
    const same = tf.cast(x, "float32");
    const ints = tf.cast(x, "int32");
    x.dispose();
    expect(Array.from(copy.dataSync())).toEqual([1, 2, 3]);
    expect(Array.from(same.dataSync())).toEqual([1, 2, 3]);
    expect(ints.dtype).toBe("int32");
    tf.dispose([copy, same, ints]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("the training curve on a fixed seed is the stock ops' within tolerance, with native and JavaScript kernels", async () => {
    const data = tinyDataset({ items: 6, sessions: 120, window: 3, users: true });
    let chromosome: ChromosomeInput = {
      w: 3, l: 2, h: 2, neurons: [32, 16], learningRate: 0.02, optimizer: "adam", activation: "tanh", loss: "softmax",
      batchSize: 32, init: "xavier", history: true, fnnLayers: 1, fnnNeurons: 8, dropout: 0, pointer: false,
    };
    const curve = async (options: { fused?: boolean; native?: boolean; blas?: boolean }) => {
      const backend = await selectBackend("wasm", options);
      const r = await trainModel(data, chromosome, { rule: fixedEpochs(6), seed: 3, backend });
      return r.epochs.map((e) => [e.trainLoss, e.valLoss]).flat();
    };
    const stock = await curve({ fused: false });
    for (const k of KERNELS) expectClose(await curve({ native: k.native }), stock, 1e-3);
    expect(stock[0]).not.toBe(stock[stock.length - 2]);
    // With dropout: the per-state ops (no OpenBLAS, so no fused recurrence) and the fused recurrence
    // draw the same masks, native or JavaScript.
    chromosome = { ...chromosome, dropout: 0.3, activation: "relu" };
    const perState = await curve({ blas: false });
    expectClose(await curve({}), perState, 1e-3);
    expectClose(await curve({ blas: false, native: false }), perState, 1e-3);
    expect(perState).not.toEqual(stock);
  });
});
