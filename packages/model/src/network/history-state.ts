// The history state (paper III.C): state 0 collapses the pages older than
// the window into V_bar = sum_i eps_i V_i. It runs the same shared layers,
// produces no output, and feeds the first window state through W_i.
import * as tf from "@tensorflow/tfjs";
import { bagSum } from "../ops/index.js";
import type { ActivationName } from "../spec.js";
import type { Dropout } from "./activation.js";
import { stateStep } from "./recurrence.js";
import type { DrnnWeights } from "./weights.js";

/**
 * Z_1 V_bar without building the M-wide V_bar: Z_1 is linear, so it is the
 * eps-weighted sum of the history pages' embeddings.
 */
export function historyInput(embed: tf.Tensor2D, pages: tf.Tensor2D, weights: tf.Tensor2D): tf.Tensor2D {
  return bagSum(embed, pages, weights);
}

/** a_i(0) for every layer; zero for samples whose prefix fits the window (the paper: "history state is not used"). */
export function historyState(w: DrnnWeights, pages: tf.Tensor2D, weights: tf.Tensor2D, f: ActivationName, dropout: Dropout): tf.Tensor2D[] {
  const used = tf.cast(tf.greater(tf.sum(weights, 1, true), 0), "float32") as tf.Tensor2D;
  return stateStep(w.layers, historyInput(w.embed, pages, weights), null, f, dropout, used);
}
