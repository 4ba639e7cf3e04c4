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
// Order: layer by layer, each layer through all states. A layer's states
// depend only on its own previous state and on the layer below, so the
// products from the layer below (and in the backward pass their gradients
// and the weight gradients) are one large product over all S*B rows instead
// of S small ones; only the recurrent product runs state by state.
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
  /** State 0 is the history state (input h; its gradient is an output). */
  history: boolean;
}

/** Layer i's input width: E_0 for layer 1 (its input is the embedding), else the layer below's. */
function inputWidth(p: RecurrenceShape, i: number): number {
  return (i === 0 ? p.widths[0] : p.widths[i - 1]) as number;
}

/** Layer i's dropout masks of all states, [S*B, E_in], or undefined without dropout. */
function dropMasks(inputs: RecurrenceInputs, v: Views, p: RecurrenceShape, i: number): Float32Array | undefined {
  return p.dropout ? v.read(inputs[`d${i}`] as TensorInfo) : undefined;
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

/** Layer i's [S*B, E_i] block of a flat per-layer array. */
function layer(flat: Float32Array, offsets: number[], i: number): Float32Array {
  return flat.subarray(offsets[i] as number, offsets[i + 1] as number);
}

/** Layer 1's input of every state, [S*B, E_0]: h (when given) then x. */
function layerOneInput(inputs: RecurrenceInputs, v: Views, p: RecurrenceShape, out: Float32Array): Float32Array {
  const x = v.read(inputs["x"] as TensorInfo);
  if (!p.history) return x;
  const h = v.read(inputs["h"] as TensorInfo);
  out.set(h);
  out.set(x, h.length);
  return out.subarray(0, p.states * p.batch * (p.widths[0] as number));
}

export function recurrenceForward(inputs: RecurrenceInputs, v: Views, p: RecurrenceShape, sgemm: Sgemm, k: FusedKernels): TensorInfo {
  const offsets = layerOffsets(p);
  const out = v.alloc([[offsets[p.widths.length] as number]]);
  const [acts] = out.views() as [Float32Array];
  const masks = v.read(inputs["masks"] as TensorInfo);
  const wt = weightsOf(inputs, v, p.widths.length);
  const B = p.batch;
  const rows = p.states * B;
  const maxE = Math.max(...p.widths);
  const pre = new Float32Array(rows * maxE);
  const scratch = new Float32Array(rows * maxE);
  p.widths.forEach((e, i) => {
    const z = pre.subarray(0, rows * e);
    const d = dropMasks(inputs, v, p, i);
    if (i === 0) {
      const input = layerOneInput(inputs, v, p, scratch);
      if (d === undefined) z.set(input);
      else k.mul(input, d, z.length, z);
    } else {
      const below = inputWidth(p, i);
      sgemm(false, false, rows, e, below, dropped(k, layer(acts, offsets, i - 1), d, scratch), below, wt.z[i] as Float32Array, e, z, e);
    }
    for (let s = 0; s < p.states; s++) {
      const zs = z.subarray(s * B * e, (s + 1) * B * e);
      if (s > 0) sgemm(false, false, B, e, e, block(acts, offsets, p, i, s - 1), e, wt.w[i] as Float32Array, e, zs, e, 1);
      k.biasAct(zs, wt.b[i] as Float32Array, masks.subarray(s * B, (s + 1) * B), B, e, p.activation, block(acts, offsets, p, i, s));
    }
  });
  return out.infos[0] as TensorInfo;
}

interface GradOutputs {
  /** Layer 1's input gradient, [S*B, E_0] (h's rows first); copied out to dx and dh at the end. */
  dInput: Float32Array;
  dw: Float32Array[];
  dz: (Float32Array | undefined)[];
  db: Float32Array[];
  infos: TensorInfo[];
  dx: Float32Array;
  dh: Float32Array | undefined;
}

function gradOutputs(v: Views, p: RecurrenceShape): GradOutputs {
  const L = p.widths.length;
  const B = p.batch;
  const e0 = p.widths[0] as number;
  const history = p.history;
  const windows = history ? p.states - 1 : p.states;
  const inputShapes = history ? [[windows, B, e0], [B, e0]] : [[windows, B, e0]];
  const shapes = [...inputShapes, ...p.widths.map((e) => [e, e]), ...p.widths.slice(1).map((e, i) => [p.widths[i] as number, e]), ...p.widths.map((e) => [e])];
  const out = v.alloc(shapes);
  const views = out.views();
  const n = inputShapes.length;
  for (const g of views.slice(n)) g.fill(0);
  return {
    dInput: new Float32Array(p.states * B * e0),
    dx: views[0] as Float32Array,
    dh: history ? (views[1] as Float32Array) : undefined,
    dw: views.slice(n, n + L),
    dz: [undefined, ...views.slice(n + L, n + 2 * L - 1)],
    db: views.slice(n + 2 * L - 1),
    infos: out.infos,
  };
}

/**
 * Backpropagation, top layer first; within a layer the states newest first,
 * so each state's gradient is complete (from the output, the next state and
 * the layer above, all added before) when it is used. Outputs: dx (then dh
 * with a history state), then dw<i>, dz<i> (i >= 1), db<i>.
 */
export function recurrenceBackward(inputs: RecurrenceInputs, v: Views, p: RecurrenceShape, sgemm: Sgemm, k: FusedKernels): TensorInfo[] {
  const o = gradOutputs(v, p);
  const offsets = layerOffsets(p);
  const acts = v.read(inputs["acts"] as TensorInfo);
  const masks = v.read(inputs["masks"] as TensorInfo);
  const grad = Float32Array.from(v.read(inputs["dy"] as TensorInfo));
  const wt = weightsOf(inputs, v, p.widths.length);
  const B = p.batch;
  const rows = p.states * B;
  const maxE = Math.max(...p.widths);
  const dpre = new Float32Array(rows * maxE);
  const scratch = new Float32Array(rows * maxE);
  const dbias = new Float32Array(maxE);
  for (let i = p.widths.length - 1; i >= 0; i--) {
    const e = p.widths[i] as number;
    const dz = dpre.subarray(0, rows * e);
    const dbi = dbias.subarray(0, e);
    const bias = o.db[i] as Float32Array;
    for (let s = p.states - 1; s >= 0; s--) {
      const d = dz.subarray(s * B * e, (s + 1) * B * e);
      k.biasActGrad(block(grad, offsets, p, i, s), block(acts, offsets, p, i, s), masks.subarray(s * B, (s + 1) * B), B, e, p.activation, d, dbi);
      for (let j = 0; j < e; j++) bias[j] = (bias[j] as number) + (dbi[j] as number);
      if (s > 0) sgemm(false, true, B, e, e, d, e, wt.w[i] as Float32Array, e, block(grad, offsets, p, i, s - 1), e, 1);
    }
    // dW = sum over s >= 1 of a(s-1)^T dz(s): states 0..S-2 and 1..S-1 are contiguous row ranges.
    if (p.states > 1) sgemm(true, false, e, e, rows - B, layer(acts, offsets, i).subarray(0, (rows - B) * e), e, dz.subarray(B * e), e, o.dw[i] as Float32Array, e, 1);
    const d = dropMasks(inputs, v, p, i);
    if (i === 0) {
      if (d === undefined) o.dInput.set(dz);
      else k.mul(dz, d, dz.length, o.dInput);
      continue;
    }
    const below = inputWidth(p, i);
    sgemm(true, false, below, e, rows, dropped(k, layer(acts, offsets, i - 1), d, scratch), below, dz, e, o.dz[i] as Float32Array, e, 1);
    const gBelow = layer(grad, offsets, i - 1);
    if (d === undefined) {
      sgemm(false, true, rows, below, e, dz, e, wt.z[i] as Float32Array, e, gBelow, below, 1);
      continue;
    }
    const t = scratch.subarray(0, rows * below);
    sgemm(false, true, rows, below, e, dz, e, wt.z[i] as Float32Array, e, t, below);
    k.mulAdd(t, d, t.length, gBelow);
  }
  const e0 = p.widths[0] as number;
  if (o.dh === undefined) o.dx.set(o.dInput);
  else {
    o.dh.set(o.dInput.subarray(0, B * e0));
    o.dx.set(o.dInput.subarray(B * e0));
  }
  return o.infos;
}
