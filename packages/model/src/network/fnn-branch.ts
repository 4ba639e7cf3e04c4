// The FNN branch (paper III.D): collaborative filtering as a feed-forward net
// over the user's purchase history before this session (multi-hot over the N
// items). Its logits are ADDED to the RNN's before the softmax, so how the two
// combine is learned. A dataset without user ids gives an all-zero input and
// the branch reduces to a learned per-item prior.
import * as tf from "@tensorflow/tfjs";
import type { ActivationName } from "../spec.js";
import { bagSum, biasActivation } from "../ops/index.js";
import type { Dropout } from "./activation.js";
import type { FnnWeights } from "./weights.js";

/**
 * multi-hot x W equals the sum of W's rows at the bought items, so the input
 * arrives as a padded bag of item ids and a mask instead of an N-wide vector.
 * @returns [B, N] logits
 */
export function fnnLogits(w: FnnWeights, items: tf.Tensor2D, mask: tf.Tensor2D, f: ActivationName, dropout: Dropout): tf.Tensor2D {
  let a = biasActivation(bagSum(w.input, items, mask), w.inputBias, f);
  for (const layer of w.hidden) a = biasActivation(tf.matMul(dropout(a), layer.w), layer.b, f);
  return tf.add(tf.matMul(dropout(a), w.out), w.outBias);
}
