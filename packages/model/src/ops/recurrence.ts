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

/** Inputs in order: x, h (with a history state), masks, then w<i>, z<i> (i >= 1), b<i>. */
function makeOp(f: ActivationName, widths: number[], history: boolean): Op {
  const L = widths.length;
  return tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const tensors = args.slice(0, -1) as tf.Tensor[];
    const [x, h] = tensors as [tf.Tensor, tf.Tensor];
    const [masks, ...weights] = tensors.slice(history ? 2 : 1);
    const named: tf.NamedTensorMap = { x, masks: masks as tf.Tensor, ...(history ? { h } : {}) };
    weights.forEach((t, j) => {
      named[j < L ? `w${j}` : j < 2 * L - 1 ? `z${j - L + 1}` : `b${j - 2 * L + 1}`] = t;
    });
    const [windows = 0, batch = 0] = x.shape;
    const states = history ? windows + 1 : windows;
    const attrs = { states, batch, widths, activation: ACTIVATION_CODES[f] };
    const acts = tf.engine().runKernel(RECURRENCE, named, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
    save([acts, masks as tf.Tensor, ...weights, ...(history ? [h] : [])]);
    return {
      value: acts,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [a, m, ...rest] = saved as tf.Tensor[];
        const ws = rest.slice(0, 3 * L - 1);
        // h is passed only to say that there is a history state; its values are not read.
        const inputs: tf.NamedTensorMap = { dy, acts: a as tf.Tensor, masks: m as tf.Tensor, ...(history ? { h: rest[3 * L - 1] as tf.Tensor } : {}) };
        ws.forEach((t, j) => {
          inputs[j < L ? `w${j}` : j < 2 * L - 1 ? `z${j - L + 1}` : `b${j - 2 * L + 1}`] = t;
        });
        const grads = tf.engine().runKernel(RECURRENCE_GRAD, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
        const n = history ? 2 : 1;
        // The masks are data: no gradient flows into them.
        return [...grads.slice(0, n), tf.zerosLike(m as tf.Tensor), ...grads.slice(n)];
      },
    };
  }) as Parameters<typeof tf.customGrad>[0]) as Op;
}

/**
 * Every layer's activations of every state, [S, B, E_i] per layer, from
 * layer 1's input of each window state x [k, B, E_0] (state-major), the
 * history state's input h [B, E_0] when there is one (it runs first: S = k +
 * 1), and the states' padding masks [S, B] (0 or 1); each state feeds the
 * next through the recurrent weights. Undefined where the fused kernels are
 * not registered.
 */
export function fusedRecurrence(layers: readonly RecurrentLayerWeights[], x: tf.Tensor3D, masks: tf.Tensor2D, f: ActivationName, h?: tf.Tensor2D): tf.Tensor3D[] | undefined {
  if (!hasFusedKernel(RECURRENCE) || !hasFusedKernel(RECURRENCE_GRAD) || x.dtype !== "float32") return undefined;
  const widths = layers.map((l) => l.bias.shape[0]);
  const key = `${f}/${widths.join(",")}/${h !== undefined}`;
  let op = OPS.get(key);
  if (op === undefined) {
    op = makeOp(f, widths, h !== undefined);
    OPS.set(key, op);
  }
  const weights = [...layers.map((l) => l.recurrent), ...layers.slice(1).map((l) => l.up as tf.Tensor2D), ...layers.map((l) => l.bias)];
  const flat = op(...(h === undefined ? [x] : [x, h]), tf.cast(masks, "float32"), ...weights);
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
