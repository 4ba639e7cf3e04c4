// The whole DRNN forward pass (paper section III): the history state, k
// window states over shared layers, an output per state with shortcut links,
// plus the FNN branch added before the softmax. The copy mechanism reads the
// top layer's last state on top of this (copy.ts).
import * as tf from "@tensorflow/tfjs";
import type { ModelDims, ModelSpec } from "../spec.js";
import { fusedRecurrence, hasFusedRecurrence } from "../ops/index.js";
import { makeDropout, type Dropout } from "./activation.js";
import { fnnLogits } from "./fnn-branch.js";
import { historyInput, historyUsed } from "./history-state.js";
import type { DrnnInputs } from "./inputs.js";
import { stateStep } from "./recurrence.js";
import { outputLogits } from "./shortcuts.js";
import type { DrnnWeights } from "./weights.js";

export interface ForwardOptions {
  training: boolean;
  /** Seed of this batch's dropout masks. */
  seed?: number;
}

/**
 * Z_1 V_t plus the dwell feature of every window state, gathered state-major:
 * [k*B, E_1], rows t*B..t*B+B-1 are state t, so each state is a contiguous slice.
 */
function windowInputs(w: DrnnWeights, x: DrnnInputs): tf.Tensor2D {
  const embedded = tf.gather(w.embed, tf.reshape(tf.transpose(x.window), [-1]));
  return tf.add(embedded, tf.mul(tf.reshape(tf.transpose(x.dwell), [-1, 1]), w.dwell)) as tf.Tensor2D;
}

/** The k row blocks [b, E] of a [k*b, E] tensor. */
function rowBlocks(t: tf.Tensor2D, k: number, b: number): tf.Tensor2D[] {
  return Array.from({ length: k }, (_, i) => tf.slice(t, [i * b, 0], [b, -1]));
}

/** The history state's input and mask ([B, E_1], [B, 1]) when the model has one and the batch carries it. */
function historyOf(w: DrnnWeights, x: DrnnInputs, spec: ModelSpec): { input: tf.Tensor2D; used: tf.Tensor2D } | undefined {
  if (!spec.history || x.historyPages === undefined || x.historyWeights === undefined) return undefined;
  return { input: historyInput(w.embed, x.historyPages, x.historyWeights), used: historyUsed(x.historyWeights) };
}

/**
 * Each linked layer's activations of the k window states as [B*k, E] (row =
 * sample*k + state), for the output product; layers without a shortcut link
 * are left out. One fused op over all states where the kernels are
 * registered, else the states one by one.
 */
function windowStatesByLayer(w: DrnnWeights, x: DrnnInputs, spec: ModelSpec, dropout: Dropout, withDropout: boolean): tf.Tensor2D[] {
  const [b, k] = x.window.shape;
  const f = spec.activation;
  const history = historyOf(w, x, spec);
  const inputs = windowInputs(w, x);
  const present = tf.cast(tf.notEqual(tf.transpose(x.window), 0), "float32") as tf.Tensor2D;
  const linked = new Set(w.shortcuts.map((s) => s.layer));
  const all = stackedStates(w, inputs, present, history, f, withDropout ? dropout : undefined);
  if (all !== undefined) {
    const first = history === undefined ? 0 : 1;
    return all.map((a, i) => (linked.has(i) ? (tf.reshape(tf.transpose(tf.slice(a, [first, 0, 0], [k, b, -1]), [1, 0, 2]), [b * k, -1]) as tf.Tensor2D) : (undefined as unknown as tf.Tensor2D)));
  }
  let state: tf.Tensor2D[] | null = history === undefined ? null : stateStep(w.layers, history.input, null, f, dropout, history.used);
  const masks = rowBlocks(tf.reshape(present, [-1, 1]), k, b);
  const windows = rowBlocks(inputs, k, b);
  const perState: tf.Tensor2D[][] = [];
  for (let t = 0; t < k; t++) {
    state = stateStep(w.layers, windows[t] as tf.Tensor2D, state, f, dropout, masks[t] as tf.Tensor2D);
    perState.push(state);
  }
  return spec.layers.map((_, i) => (linked.has(i) ? (tf.reshape(tf.stack(perState.map((s) => s[i] as tf.Tensor2D), 1), [b * k, -1]) as tf.Tensor2D) : (undefined as unknown as tf.Tensor2D)));
}

/**
 * Each layer's dropout mask of every state, [S, B, E_in] per layer, drawn by
 * the same dropout calls in the same order as the per-state ops make them
 * (state by state, layer by layer), so both paths train alike from a seed.
 */
function dropoutMasks(w: DrnnWeights, states: number, b: number, dropout: Dropout): tf.Tensor3D[] {
  const widths = w.layers.map((l) => l.bias.shape[0]);
  const inputs = widths.map((e, i) => (i === 0 ? e : (widths[i - 1] as number)));
  const perLayer: tf.Tensor2D[][] = inputs.map(() => []);
  for (let s = 0; s < states; s++) inputs.forEach((e, i) => perLayer[i]?.push(dropout(tf.ones([b, e]))));
  return perLayer.map((m) => tf.stack(m) as tf.Tensor3D);
}

/** All states (the history state first when present) through the fused recurrence, [S, B, E_i] per layer. */
function stackedStates(
  w: DrnnWeights,
  inputs: tf.Tensor2D,
  present: tf.Tensor2D,
  history: { input: tf.Tensor2D; used: tf.Tensor2D } | undefined,
  f: ModelSpec["activation"],
  dropout: Dropout | undefined,
): tf.Tensor3D[] | undefined {
  const [k, b] = present.shape;
  if (!hasFusedRecurrence()) return undefined;
  const windows = tf.reshape(inputs, [k, b, -1]) as tf.Tensor3D;
  const drops = dropout === undefined ? undefined : dropoutMasks(w, history === undefined ? k : k + 1, b, dropout);
  if (history === undefined) return fusedRecurrence(w.layers, windows, present, f, undefined, drops);
  const masks = tf.concat([tf.reshape(history.used, [1, b]), present], 0) as tf.Tensor2D;
  return fusedRecurrence(w.layers, windows, masks, f, history.input, drops);
}

export interface ForwardResult {
  /** The generator's item logits of every window state, [B, k, N]. */
  logits: tf.Tensor3D;
  /** The top hidden layer's last window state, [B, E_top] (what the copy's gate and context read). */
  top: tf.Tensor2D;
}

/** The generator's logits of every state plus the top layer's last state. */
export function drnnForwardWithTop(w: DrnnWeights, x: DrnnInputs, spec: ModelSpec, dims: ModelDims, opts: ForwardOptions): ForwardResult {
  const [b, k] = x.window.shape;
  const dropout = makeDropout(spec.dropout, opts.training, opts.seed ?? 0);
  const byLayer = windowStatesByLayer(w, x, spec, dropout, opts.training && spec.dropout > 0);
  let logits = tf.reshape(outputLogits(w, byLayer, dropout), [b, k, dims.items]) as tf.Tensor3D;
  if (w.fnn !== undefined && x.purchaseItems !== undefined && x.purchaseMask !== undefined) {
    logits = tf.add(logits, tf.expandDims(fnnLogits(w.fnn, x.purchaseItems, x.purchaseMask, spec.activation, dropout), 1));
  }
  // The top layer always has a shortcut link (h >= 1), so its states are in byLayer.
  const states = byLayer[spec.layers.length - 1] as tf.Tensor2D;
  const top = tf.reshape(tf.slice(tf.reshape(states, [b, k, -1]), [0, k - 1, 0], [b, 1, -1]), [b, -1]) as tf.Tensor2D;
  return { logits, top };
}

/** The generator's item logits of every window state, [B, k, N]: the saved LayersModel's output. */
export function drnnForward(w: DrnnWeights, x: DrnnInputs, spec: ModelSpec, dims: ModelDims, opts: ForwardOptions): tf.Tensor3D {
  return drnnForwardWithTop(w, x, spec, dims, opts).logits;
}

/** The last state's logits, [B, N]: what the model predicts after the newest page. */
export function lastState(logits: tf.Tensor3D): tf.Tensor2D {
  const [b, k, n] = logits.shape;
  return tf.reshape(tf.slice(logits, [0, k - 1, 0], [b, 1, n]), [b, n]);
}
