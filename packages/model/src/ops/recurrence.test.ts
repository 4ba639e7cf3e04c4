// The fused recurrence (one kernel over all states, backpropagation through
// them in another) against the per-state ops it replaces: every layer's
// activations and the gradients of the input and of every weight, with
// padding rows, on wasm and cpu with OpenBLAS.
import * as tf from "@tensorflow/tfjs";
import { Rng } from "@drnn/contract";
import { afterAll, describe, expect, it } from "vitest";
import { selectBackend } from "../backend.js";
import { loadOpenBlas } from "../kernels/index.js";
import { stateStep } from "../network/recurrence.js";
import type { RecurrentLayerWeights } from "../network/weights.js";
import type { ActivationName } from "../spec.js";
import { fusedRecurrence } from "./index.js";

const rng = Rng.fromSeed(11);
const values = (n: number, scale = 1) => Float32Array.from({ length: n }, () => (rng.float() * 2 - 1) * scale);

interface Case {
  widths: number[];
  states: number;
  batch: number;
  f: ActivationName;
  /** State 0 is the history state (passed apart as h). */
  history?: boolean;
  /** Dropout masks on each layer's input (0 or 1/keep with keep 0.5). */
  dropout?: boolean;
}

/** Random inputs: x [S, B, E_0], masks with some padding rows, weights, and an upstream gradient per layer. */
function problem(c: Case) {
  const masks = Float32Array.from({ length: c.states * c.batch }, (_, i) => (i % 5 === 3 ? 0 : 1));
  return {
    x: values(c.states * c.batch * (c.widths[0] as number)),
    masks,
    w: c.widths.map((e) => values(e * e, 0.5)),
    z: c.widths.map((e, i) => (i === 0 ? undefined : values((c.widths[i - 1] as number) * e, 0.5))),
    b: c.widths.map((e) => values(e, 0.2)),
    up: c.widths.map((e) => values(c.states * c.batch * e)),
    drops: c.widths.map((e, i) => Float32Array.from({ length: c.states * c.batch * (i === 0 ? e : (c.widths[i - 1] as number)) }, () => (rng.float() < 0.5 ? 0 : 2))),
  };
}

/** Activations and gradients [acts..., dx, dw..., dz..., db...] on whatever kernels are registered. */
function run(c: Case, p: ReturnType<typeof problem>, fused: boolean): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.tensor3d(p.x, [c.states, c.batch, c.widths[0] as number]);
    const masks = tf.tensor2d(p.masks, [c.states, c.batch]);
    const w = p.w.map((v, i) => tf.tensor2d(v, [c.widths[i] as number, c.widths[i] as number]));
    const z = p.z.slice(1).map((v, i) => tf.tensor2d(v as Float32Array, [c.widths[i] as number, c.widths[i + 1] as number]));
    const b = p.b.map((v) => tf.tensor1d(v));
    const up = p.up.map((v, i) => tf.tensor3d(v, [c.states, c.batch, c.widths[i] as number]));
    const drops = c.dropout ? p.drops.map((v, i) => tf.tensor3d(v, [c.states, c.batch, (i === 0 ? c.widths[0] : c.widths[i - 1]) as number])) : undefined;
    const layersOf = (ws: tf.Tensor[]): RecurrentLayerWeights[] =>
      c.widths.map((_, i) => ({ recurrent: ws[i] as tf.Tensor2D, bias: ws[2 * c.widths.length - 1 + i] as tf.Tensor1D, ...(i > 0 ? { up: ws[c.widths.length + i - 1] as tf.Tensor2D } : {}) }));
    const forward = (xs: tf.Tensor3D, ws: tf.Tensor[]): tf.Tensor3D[] => {
      const layers = layersOf(ws);
      if (fused) {
        const out = c.history
          ? fusedRecurrence(layers, tf.slice(xs, [1, 0, 0], [-1, -1, -1]), masks, c.f, tf.reshape(tf.slice(xs, [0, 0, 0], [1, -1, -1]), [c.batch, -1]) as tf.Tensor2D, drops)
          : fusedRecurrence(layers, xs, masks, c.f, undefined, drops);
        if (out === undefined) throw new Error("the fused recurrence is not registered");
        return out;
      }
      const per: tf.Tensor2D[][] = [];
      let state: tf.Tensor2D[] | null = null;
      for (let s = 0; s < c.states; s++) {
        const xin = tf.reshape(tf.slice(xs, [s, 0, 0], [1, -1, -1]), [c.batch, -1]) as tf.Tensor2D;
        const m = tf.reshape(tf.slice(masks, [s, 0], [1, -1]), [c.batch, 1]) as tf.Tensor2D;
        // The per-state ops draw dropout layer by layer; here each call takes the next given mask.
        let layer = 0;
        const dropout = (a: tf.Tensor2D): tf.Tensor2D => {
          const d = drops?.[layer++];
          return d === undefined ? a : (tf.mul(a, tf.reshape(tf.slice(d, [s, 0, 0], [1, -1, -1]), a.shape)) as tf.Tensor2D);
        };
        state = stateStep(layers, xin, state, c.f, dropout, m);
        per.push(state);
      }
      return c.widths.map((_, i) => tf.stack(per.map((st) => st[i] as tf.Tensor2D)) as tf.Tensor3D);
    };
    const all = [x, ...w, ...z, ...b];
    const loss = (...ts: tf.Tensor[]) => tf.addN(forward(ts[0] as tf.Tensor3D, ts.slice(1)).map((a, i) => tf.sum(tf.mul(a, up[i] as tf.Tensor))));
    const acts = forward(x, all.slice(1));
    const grads = tf.grads(loss)(all);
    return [...acts, ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

const CASES: Case[] = [
  { widths: [6, 5, 3], states: 4, batch: 7, f: "relu" },
  { widths: [6, 5, 3], states: 5, batch: 7, f: "relu", history: true },
  { widths: [4, 3], states: 2, batch: 6, f: "tanh", history: true },
  { widths: [6, 5, 3], states: 4, batch: 7, f: "relu", history: true, dropout: true },
  { widths: [4, 4], states: 3, batch: 5, f: "sigmoid", dropout: true },
  { widths: [4, 4], states: 3, batch: 5, f: "tanh" },
  { widths: [5], states: 5, batch: 4, f: "sigmoid" },
  { widths: [3, 6, 2], states: 2, batch: 3, f: "relu" },
];

describe.runIf(loadOpenBlas() !== undefined)("fused recurrence", () => {
  afterAll(async () => {
    await selectBackend("wasm");
  });

  for (const backend of ["wasm", "cpu"] as const) {
    it.each(CASES)(`on ${backend} equals the per-state ops, values and every gradient, for %o`, async (c) => {
      const p = problem(c);
      await selectBackend(backend, { fused: false });
      const stock = run(c, p, false);
      await selectBackend(backend);
      const before = tf.memory().numTensors;
      const fused = run(c, p, true);
      expect(tf.memory().numTensors).toBe(before);
      expect(fused).toHaveLength(stock.length);
      fused.forEach((got, i) => {
        const want = stock[i] as Float32Array;
        expect(got.length).toBe(want.length);
        for (let j = 0; j < want.length; j++) expect(Math.abs((got[j] as number) - (want[j] as number)), `output ${i} [${j}]`).toBeLessThan(1e-4 * (1 + Math.abs(want[j] as number)));
      });
    });
  }

  it("is absent without OpenBLAS, so the model runs the per-state ops", async () => {
    await selectBackend("wasm", { blas: false });
    const x = tf.zeros([2, 3, 4]) as tf.Tensor3D;
    const layers = [{ recurrent: tf.zeros([4, 4]) as tf.Tensor2D, bias: tf.zeros([4]) as tf.Tensor1D }];
    expect(fusedRecurrence(layers, x, tf.ones([2, 3]) as tf.Tensor2D, "relu")).toBeUndefined();
    tf.dispose([x, layers[0]!.recurrent, layers[0]!.bias]);
  });
});
