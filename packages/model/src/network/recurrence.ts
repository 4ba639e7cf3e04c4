// The deep RNN's update for one state (paper III.B), with every weight shared
// by all states:  a_i(t) = f(W_i a_i(t-1) + Z_i a_{i-1}(t) + b_i),
// where layer 1's Z_1 a_0(t) is the page embedding plus the dwell feature.
import * as tf from "@tensorflow/tfjs";
import type { ActivationName } from "../spec.js";
import { biasActivation } from "../ops/index.js";
import type { Dropout } from "./activation.js";
import type { RecurrentLayerWeights } from "./weights.js";

/**
 * @param layer1Input Z_1 V_t (+ dwell) for this state, [B, E_1]
 * @param previous a_i(t-1) for every layer, or null at the first state
 * @param mask [B, 1], 0 where this state's page is padding: those rows are zero, so a short prefix runs as if it started later
 * @returns a_i(t) for every layer, bottom first
 */
export function stateStep(
  layers: readonly RecurrentLayerWeights[],
  layer1Input: tf.Tensor2D,
  previous: readonly tf.Tensor2D[] | null,
  f: ActivationName,
  dropout: Dropout,
  mask?: tf.Tensor2D,
): tf.Tensor2D[] {
  const out: tf.Tensor2D[] = [];
  let below = layer1Input;
  layers.forEach((w, i) => {
    let z = w.up === undefined ? dropout(below) : tf.matMul(dropout(below), w.up);
    const prev = previous?.[i];
    if (prev !== undefined) z = tf.add(z, tf.matMul(prev, w.recurrent));
    below = biasActivation(z as tf.Tensor2D, w.bias, f, mask);
    out.push(below);
  });
  return out;
}
