// The output layer with shortcut links (the chromosome's h): the top h hidden
// layers of a state each connect straight to the N item logits,
//   o(t) = sum_{j in top h} V_j a_j(t) + b.
// h = 1 is the plain deep RNN (only the top layer feeds the output).
import * as tf from "@tensorflow/tfjs";
import type { Dropout } from "./activation.js";
import type { DrnnWeights } from "./weights.js";

/**
 * @param statesByLayer for each hidden layer, its activations of all k states stacked as [B*k, E_j]
 * @returns item logits of every state, [B*k, N]
 */
export function outputLogits(w: DrnnWeights, statesByLayer: readonly tf.Tensor2D[], dropout: Dropout): tf.Tensor2D {
  let logits: tf.Tensor2D | undefined;
  for (const link of w.shortcuts) {
    const a = statesByLayer[link.layer];
    if (a === undefined) throw new Error(`no hidden layer ${link.layer} for a shortcut link`);
    const term: tf.Tensor2D = tf.matMul(dropout(a), link.w);
    logits = logits === undefined ? term : (tf.add(logits, term) as tf.Tensor2D);
  }
  if (logits === undefined) throw new Error("the output needs at least one linked layer (h >= 1)");
  return tf.add(logits, w.outBias);
}
