// The history state (paper III.C): state 0 collapses the pages older than
// the window into V_bar = sum_i eps_i V_i. It runs the same shared layers,
// produces no output, and feeds the first window state through W_i
// (forward.ts runs it as state 0 of the recurrence, masked by historyUsed).
import * as tf from "@tensorflow/tfjs";
import { bagSum } from "../ops/index.js";

/**
 * Z_1 V_bar without building the M-wide V_bar: Z_1 is linear, so it is the
 * eps-weighted sum of the history pages' embeddings.
 */
export function historyInput(embed: tf.Tensor2D, pages: tf.Tensor2D, weights: tf.Tensor2D): tf.Tensor2D {
  return bagSum(embed, pages, weights);
}

/** [B, 1]: 1 where a sample has pages older than its window, else 0 (the paper: "history state is not used"). */
export function historyUsed(weights: tf.Tensor2D): tf.Tensor2D {
  return tf.cast(tf.greater(tf.sum(weights, 1, true), 0), "float32") as tf.Tensor2D;
}
