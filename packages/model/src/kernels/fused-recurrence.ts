// The whole recurrence (paper III.B, every state, every layer) as two kernels,
// DrnnRecurrence and DrnnRecurrenceGrad, on OpenBLAS sgemm and the fused
// bias + activation + mask loops. Run as separate TF.js ops the recurrence is
// ~300 kernel calls per training step (two products, an add and an
// activation per layer and state, then their gradients and the tape's
// accumulation of the shared weights' gradients); here it is two, and the
// shared weights' gradients accumulate in place (sgemm with beta = 1).
// Registered only where OpenBLAS loaded; src/ops/recurrence.ts composes the
// per-state ops elsewhere.
//
// Layouts. x [k, B, E_0]: layer 1's input of each window state
// (state-major); h [B, E_0], when given, the history state's input, which
// runs first (S = k + 1 states, else S = k). masks [S, B]: 0 where a state is
// padding. Weights w<i> [E_i, E_i] (recurrent), z<i> [E_(i-1), E_i] (from the
// layer below, i >= 1), b<i> [E_i]. Output: every layer's activations of every
// state, layer after layer, each block [S, B, E_i], flattened into one vector.
// With dropout, d<i> [S, B, E_in] is each layer's input mask per state (0 or
// 1/keep, as tf.dropout scales): layer 1's input and each lower layer's
// activation are multiplied by it before the product, as the per-state ops do.
import type { Sgemm } from "./blas-batch-matmul.js";
import type { ActivationCode, FusedKernels } from "./fused-js.js";
import type { TensorInfo } from "./types.js";
import type { Views } from "./views.js";

export const RECURRENCE = "DrnnRecurrence";
export const RECURRENCE_GRAD = "DrnnRecurrenceGrad";

/** What the kernels need to know beyond the tensors. */
export interface RecurrenceShape {
  states: number;
  batch: number;
  widths: number[];
  activation: ActivationCode;
  /** The inputs carry dropout masks d<i>. */
  dropout: boolean;
}

/** Layer i's input width: E_0 for layer 1 (its input is the embedding), else the layer below's. */
function inputWidth(p: RecurrenceShape, i: number): number {
  return (i === 0 ? p.widths[0] : p.widths[i - 1]) as number;
}

/** The [B, E_in] dropout mask of layer i at state s, or undefined without dropout. */
function dropMask(inputs: RecurrenceInputs, v: Views, p: RecurrenceShape, i: number, s: number): Float32Array | undefined {
  if (!p.dropout) return undefined;
  const size = p.batch * inputWidth(p, i);
  return v.read(inputs[`d${i}`] as TensorInfo).subarray(s * size, (s + 1) * size);
}

/** a * d elementwise into out (a itself when d is undefined). */
function dropped(k: FusedKernels, a: Float32Array, d: Float32Array | undefined, out: Float32Array): Float32Array {
  if (d === undefined) return a;
  k.mul(a, d, a.length, out);
  return out.subarray(0, a.length);
}

export type RecurrenceInputs = Record<string, TensorInfo>;

/** Offsets of each layer's block in the flat activations. */
export function layerOffsets(p: RecurrenceShape): number[] {
  const out: number[] = [];
  let at = 0;
  for (const e of p.widths) {
    out.push(at);
    at += p.states * p.batch * e;
  }
  out.push(at);
  return out;
}

interface Weights {
  w: Float32Array[];
  z: (Float32Array | undefined)[];
  b: Float32Array[];
}

function weightsOf(inputs: RecurrenceInputs, v: Views, layers: number): Weights {
  const get = (name: string) => v.read(inputs[name] as TensorInfo);
  return {
    w: Array.from({ length: layers }, (_, i) => get(`w${i}`)),
    z: Array.from({ length: layers }, (_, i) => (i === 0 ? undefined : get(`z${i}`))),
    b: Array.from({ length: layers }, (_, i) => get(`b${i}`)),
  };
}

/** A [B, E] block of state s in layer i's [S, B, E] block of a flat array. */
function block(flat: Float32Array, offsets: number[], p: RecurrenceShape, i: number, s: number): Float32Array {
  const size = p.batch * (p.widths[i] as number);
  const from = (offsets[i] as number) + s * size;
  return flat.subarray(from, from + size);
}

export function recurrenceForward(inputs: RecurrenceInputs, v: Views, p: RecurrenceShape, sgemm: Sgemm, k: FusedKernels): TensorInfo {
  const offsets = layerOffsets(p);
  const out = v.alloc([[offsets[p.widths.length] as number]]);
  const [acts] = out.views() as [Float32Array];
  const x = v.read(inputs["x"] as TensorInfo);
  const h = inputs["h"] === undefined ? undefined : v.read(inputs["h"]);
  const masks = v.read(inputs["masks"] as TensorInfo);
  const wt = weightsOf(inputs, v, p.widths.length);
  const B = p.batch;
  const pre = new Float32Array(B * Math.max(...p.widths));
  const scratch = new Float32Array(B * Math.max(...p.widths));
  for (let s = 0; s < p.states; s++) {
    const mask = masks.subarray(s * B, (s + 1) * B);
    // Window state t is x's block t; with a history state, states shift by one.
    const t = h === undefined ? s : s - 1;
    p.widths.forEach((e, i) => {
      const z = pre.subarray(0, B * e);
      const d = dropMask(inputs, v, p, i, s);
      if (i === 0) {
        const input = t < 0 ? (h as Float32Array) : x.subarray(t * B * e, (t + 1) * B * e);
        if (d === undefined) z.set(input);
        else k.mul(input, d, z.length, z);
      }
      else sgemm(false, false, B, e, p.widths[i - 1] as number, dropped(k, block(acts, offsets, p, i - 1, s), d, scratch), p.widths[i - 1] as number, wt.z[i] as Float32Array, e, z, e);
      if (s > 0) sgemm(false, false, B, e, e, block(acts, offsets, p, i, s - 1), e, wt.w[i] as Float32Array, e, z, e, 1);
      k.biasAct(z, wt.b[i] as Float32Array, mask, B, e, p.activation, block(acts, offsets, p, i, s));
    });
  }
  return out.infos[0] as TensorInfo;
}

/**
 * Backpropagation through the states, newest first, top layer first, so a
 * state's gradient is complete (from the output, the next state and the
 * layer above) before it is used. Outputs: dx (then dh with a history
 * state), then dw<i>, dz<i> (i >= 1), db<i>.
 */
export function recurrenceBackward(inputs: RecurrenceInputs, v: Views, p: RecurrenceShape, sgemm: Sgemm, k: FusedKernels): TensorInfo[] {
  const L = p.widths.length;
  const B = p.batch;
  const e0 = p.widths[0] as number;
  const history = inputs["h"] !== undefined;
  const windows = history ? p.states - 1 : p.states;
  const inputShapes = history ? [[windows, B, e0], [B, e0]] : [[windows, B, e0]];
  const shapes = [...inputShapes, ...p.widths.map((e) => [e, e]), ...p.widths.slice(1).map((e, i) => [p.widths[i] as number, e]), ...p.widths.map((e) => [e])];
  const out = v.alloc(shapes);
  const views = out.views();
  const n = inputShapes.length;
  const dx = views[0] as Float32Array;
  const dh = history ? (views[1] as Float32Array) : undefined;
  const dw = views.slice(n, n + L);
  const dz = [undefined, ...views.slice(n + L, n + 2 * L - 1)];
  const db = views.slice(n + 2 * L - 1);
  for (const g of views.slice(n)) g.fill(0);
  const offsets = layerOffsets(p);
  const acts = v.read(inputs["acts"] as TensorInfo);
  const masks = v.read(inputs["masks"] as TensorInfo);
  const grad = Float32Array.from(v.read(inputs["dy"] as TensorInfo));
  const wt = weightsOf(inputs, v, L);
  const maxE = Math.max(...p.widths);
  const dpre = new Float32Array(B * maxE);
  const dbias = new Float32Array(maxE);
  const scratch = new Float32Array(B * maxE);
  for (let s = p.states - 1; s >= 0; s--) {
    const mask = masks.subarray(s * B, (s + 1) * B);
    for (let i = L - 1; i >= 0; i--) {
      const e = p.widths[i] as number;
      const d = dpre.subarray(0, B * e);
      const dbi = dbias.subarray(0, e);
      k.biasActGrad(block(grad, offsets, p, i, s), block(acts, offsets, p, i, s), mask, B, e, p.activation, d, dbi);
      const bias = db[i] as Float32Array;
      for (let j = 0; j < e; j++) bias[j] = (bias[j] as number) + (dbi[j] as number);
      if (s > 0) {
        sgemm(true, false, e, e, B, block(acts, offsets, p, i, s - 1), e, d, e, dw[i] as Float32Array, e, 1);
        sgemm(false, true, B, e, e, d, e, wt.w[i] as Float32Array, e, block(grad, offsets, p, i, s - 1), e, 1);
      }
      const drop = dropMask(inputs, v, p, i, s);
      if (i === 0) {
        const dIn = dropped(k, d, drop, scratch);
        if (history && s === 0) (dh as Float32Array).set(dIn);
        else dx.set(dIn, (history ? s - 1 : s) * B * e0);
        continue;
      }
      const below = p.widths[i - 1] as number;
      sgemm(true, false, below, e, B, dropped(k, block(acts, offsets, p, i - 1, s), drop, scratch), below, d, e, dz[i] as Float32Array, e, 1);
      const gBelow = block(grad, offsets, p, i - 1, s);
      if (drop === undefined) {
        sgemm(false, true, B, below, e, d, e, wt.z[i] as Float32Array, e, gBelow, below, 1);
        continue;
      }
      const t = scratch.subarray(0, B * below);
      sgemm(false, true, B, below, e, d, e, wt.z[i] as Float32Array, e, t, below);
      k.mulAdd(t, drop, t.length, gBelow);
    }
  }
  return out.infos;
}
