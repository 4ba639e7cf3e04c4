// The recurrence over all states and layers as one op with its own gradient
// (backpropagation through the states in one kernel). On cpu and wasm with
// OpenBLAS it is the DrnnRecurrence kernel pair (src/kernels/fused-recurrence.ts);
// elsewhere fusedRecurrence answers undefined and the caller runs the
// per-state ops (network/recurrence.ts), which compute the same thing.
import * as tf from "@tensorflow/tfjs";
import { ACTIVATION_CODES, hasFusedKernel, RECURRENCE, RECURRENCE_GRAD } from "../kernels/index.js";
import type { RecurrentLayerWeights } from "../network/weights.js";
import type { ActivationName } from "../spec.js";

type Op = (...args: tf.Tensor[]) => tf.Tensor;

const OPS = new Map<string, Op>();

/** The kernels' names for the weights (w<i>, z<i> for i >= 1, b<i>, in that order) and the dropout masks d<i>. */
function namedWeights(weights: readonly tf.Tensor[], drops: readonly tf.Tensor[], L: number): tf.NamedTensorMap {
  const named: tf.NamedTensorMap = {};
  weights.forEach((t, j) => {
    named[j < L ? `w${j}` : j < 2 * L - 1 ? `z${j - L + 1}` : `b${j - 2 * L + 1}`] = t;
  });
  drops.forEach((t, i) => {
    named[`d${i}`] = t;
  });
  return named;
}

/** Inputs in order: x, h (with a history state), masks, then w<i>, z<i> (i >= 1), b<i>, then with dropout d<i>. */
function makeOp(f: ActivationName, widths: number[], history: boolean, dropout: boolean): Op {
  const L = widths.length;
  return tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const tensors = args.slice(0, -1) as tf.Tensor[];
    const [x, h] = tensors as [tf.Tensor, tf.Tensor];
    const [masks, ...rest] = tensors.slice(history ? 2 : 1);
    const weights = rest.slice(0, 3 * L - 1);
    const drops = rest.slice(3 * L - 1);
    const named: tf.NamedTensorMap = { x, masks: masks as tf.Tensor, ...(history ? { h } : {}), ...namedWeights(weights, drops, L) };
    const [windows = 0, batch = 0] = x.shape;
    const states = history ? windows + 1 : windows;
    const attrs = { states, batch, widths, activation: ACTIVATION_CODES[f], dropout, history };
    const acts = tf.engine().runKernel(RECURRENCE, named, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
    save([acts, masks as tf.Tensor, ...weights, ...drops]);
    return {
      value: acts,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [a, m, ...more] = saved as tf.Tensor[];
        const ds = more.slice(3 * L - 1);
        const inputs: tf.NamedTensorMap = { dy, acts: a as tf.Tensor, masks: m as tf.Tensor, ...namedWeights(more.slice(0, 3 * L - 1), ds, L) };
        const grads = tf.engine().runKernel(RECURRENCE_GRAD, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
        const n = history ? 2 : 1;
        // The padding and dropout masks are data: no gradient flows into them.
        return [...grads.slice(0, n), tf.zerosLike(m as tf.Tensor), ...grads.slice(n), ...ds.map((d) => tf.zerosLike(d))];
      },
    };
  }) as Parameters<typeof tf.customGrad>[0]) as Op;
}

/**
 * Every layer's activations of every state, [S, B, E_i] per layer, from
 * layer 1's input of each window state x [k, B, E_0] (state-major), the
 * history state's input h [B, E_0] when there is one (it runs first: S = k +
 * 1), and the states' padding masks [S, B] (0 or 1); each state feeds the
 * next through the recurrent weights. `drops`, when training with dropout:
 * each layer's input mask per state, [S, B, E_in] (0 or 1/keep). Undefined
 * where the fused kernels are not registered.
 */
/** Whether the active backend runs the fused recurrence (cpu or wasm with OpenBLAS). */
export function hasFusedRecurrence(): boolean {
  return hasFusedKernel(RECURRENCE) && hasFusedKernel(RECURRENCE_GRAD);
}

export function fusedRecurrence(
  layers: readonly RecurrentLayerWeights[],
  x: tf.Tensor3D,
  masks: tf.Tensor2D,
  f: ActivationName,
  h?: tf.Tensor2D,
  drops?: readonly tf.Tensor3D[],
): tf.Tensor3D[] | undefined {
  if (!hasFusedRecurrence() || x.dtype !== "float32") return undefined;
  const widths = layers.map((l) => l.bias.shape[0]);
  const dropout = drops !== undefined;
  const key = `${f}/${widths.join(",")}/${h !== undefined}/${dropout}`;
  let op = OPS.get(key);
  if (op === undefined) {
    op = makeOp(f, widths, h !== undefined, dropout);
    OPS.set(key, op);
  }
  const weights = [...layers.map((l) => l.recurrent), ...layers.slice(1).map((l) => l.up as tf.Tensor2D), ...layers.map((l) => l.bias)];
  const flat = op(...(h === undefined ? [x] : [x, h]), tf.cast(masks, "float32"), ...weights, ...(drops ?? []));
  const [k, b] = x.shape;
  const s = h === undefined ? k : k + 1;
  let at = 0;
  return widths.map((e) => {
    const size = s * b * e;
    const layer = tf.reshape(tf.slice(flat, [at], [size]), [s, b, e]) as tf.Tensor3D;
    at += size;
    return layer;
  });
}
