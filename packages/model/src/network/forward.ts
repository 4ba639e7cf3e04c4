// The whole DRNN forward pass (paper section III): the history state, k
// window states over shared layers, an output per state with shortcut links,
// plus the FNN branch and the pointer, all added before the softmax.
import * as tf from "@tensorflow/tfjs";
import type { ModelDims, ModelSpec } from "../spec.js";
import { makeDropout } from "./activation.js";
import { fnnLogits } from "./fnn-branch.js";
import { historyState } from "./history-state.js";
import type { DrnnInputs } from "./inputs.js";
import { pointerLogits } from "./pointer.js";
import { stateStep } from "./recurrence.js";
import { outputLogits } from "./shortcuts.js";
import type { DrnnWeights } from "./weights.js";

export interface ForwardOptions {
  training: boolean;
  /** Seed of this batch's dropout masks. */
  seed?: number;
}

/**
 * Z_1 V_t plus the dwell feature of each of the k states, [B, E_1] each. The
 * window is gathered state-major ([k*B, E_1], rows t*B..t*B+B-1 are state t),
 * so each state is a contiguous slice, not a strided copy.
 */
function windowInputs(w: DrnnWeights, x: DrnnInputs): tf.Tensor2D[] {
  const [b, k] = x.window.shape;
  const embedded = tf.gather(w.embed, tf.reshape(tf.transpose(x.window), [-1]));
  const all = tf.add(embedded, tf.mul(tf.reshape(tf.transpose(x.dwell), [-1, 1]), w.dwell));
  return rowBlocks(all as tf.Tensor2D, k, b);
}

/** The k row blocks [b, E] of a [k*b, E] tensor. */
function rowBlocks(t: tf.Tensor2D, k: number, b: number): tf.Tensor2D[] {
  return Array.from({ length: k }, (_, i) => tf.slice(t, [i * b, 0], [b, -1]));
}

/** Item logits of every window state, [B, k, N]; the prediction is the last state's softmax. */
export function drnnForward(w: DrnnWeights, x: DrnnInputs, spec: ModelSpec, dims: ModelDims, opts: ForwardOptions): tf.Tensor3D {
  const [b, k] = x.window.shape;
  const dropout = makeDropout(spec.dropout, opts.training, opts.seed ?? 0);
  const f = spec.activation;
  let state: tf.Tensor2D[] | null = null;
  if (spec.history && x.historyPages !== undefined && x.historyWeights !== undefined) {
    state = historyState(w, x.historyPages, x.historyWeights, f, dropout);
  }
  const inputs = windowInputs(w, x);
  const present = rowBlocks(tf.reshape(tf.cast(tf.notEqual(tf.transpose(x.window), 0), "float32"), [-1, 1]), k, b);
  const perState: tf.Tensor2D[][] = [];
  for (let t = 0; t < k; t++) {
    state = stateStep(w.layers, inputs[t] as tf.Tensor2D, state, f, dropout, present[t] as tf.Tensor2D);
    perState.push(state);
  }
  // Stack each layer's k states as [B*k, E] (row = sample*k + state) so the output is one product per link.
  const byLayer = spec.layers.map((_, i) => tf.reshape(tf.stack(perState.map((s) => s[i] as tf.Tensor2D), 1), [b * k, -1]) as tf.Tensor2D);
  let logits = tf.reshape(outputLogits(w, byLayer, dropout), [b, k, dims.items]) as tf.Tensor3D;
  if (w.fnn !== undefined && x.purchaseItems !== undefined && x.purchaseMask !== undefined) {
    logits = tf.add(logits, tf.expandDims(fnnLogits(w.fnn, x.purchaseItems, x.purchaseMask, f, dropout), 1));
  }
  if (w.pointer !== undefined && x.windowItems !== undefined) {
    logits = tf.add(logits, pointerLogits(w.pointer, x.windowItems, x.historyItemMass, dims.items));
  }
  return logits;
}

/** The last state's logits, [B, N]: what the model predicts after the newest page. */
export function lastState(logits: tf.Tensor3D): tf.Tensor2D {
  const [b, k, n] = logits.shape;
  return tf.reshape(tf.slice(logits, [0, k - 1, 0], [b, 1, n]), [b, n]);
}
