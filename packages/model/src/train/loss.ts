// The loss gene over a SET of bought items I. Softmax cross-entropy takes the
// target distribution that spreads 1/|I| over I (one sample per session
// prefix, not one per item); sigmoid takes each item as its own yes/no.
// With the copy mechanism the newest state's prediction is the mixture, so
// that state's term is the mixture's negative log-likelihood of I (copy.ts),
// whatever the loss gene; the earlier states keep the generator's loss.
import * as tf from "@tensorflow/tfjs";
import type { BatchTargets } from "../feed/batch.js";
import { mixtureLoss, type CopyOutput } from "../network/copy.js";
import { softmaxCrossEntropy } from "../ops/index.js";
import type { LossName } from "../spec.js";

/** Per-state loss of logits [B, S, N] against the targets [B, N]: [B, S]. */
function rowLoss(logits: tf.Tensor3D, targets: tf.Tensor2D, loss: LossName): tf.Tensor2D {
  if (loss === "softmax") return softmaxCrossEntropy(logits, targets);
  const target = tf.expandDims(targets, 1);
  // Stable sigmoid cross-entropy: max(x, 0) - x z + log(1 + exp(-|x|)).
  const x = logits;
  return tf.sum(tf.add(tf.sub(tf.relu(x), tf.mul(x, target)), tf.log1p(tf.exp(tf.neg(tf.abs(x))))), -1) as tf.Tensor2D;
}

/**
 * The training loss, aggregated over states as the paper does: every window
 * state with a page has an output and a loss against I; padding states and
 * samples with no in-vocabulary target weigh 0.
 */
export function trainingLoss(logits: tf.Tensor3D, window: tf.Tensor2D, t: BatchTargets, loss: LossName, copy?: CopyOutput): tf.Scalar {
  const perState = rowLoss(logits, t.target, loss);
  let weight = tf.mul(tf.cast(tf.notEqual(window, 0), "float32"), tf.expandDims(t.valid, 1));
  if (copy === undefined || t.copy === undefined) return tf.div(tf.sum(tf.mul(perState, weight)), tf.maximum(tf.sum(weight), 1));
  const k = window.shape[1];
  // The newest state's generator term gives way to the mixture's.
  weight = tf.mul(weight, tf.tensor2d([...Array<number>(k - 1).fill(1), 0], [1, k]));
  const total = tf.add(tf.sum(tf.mul(perState, weight)), tf.sum(mixtureLoss(copy, t.copy)));
  return tf.div(total, tf.maximum(tf.add(tf.sum(weight), tf.sum(t.copy.valid)), 1));
}

/** The last state's loss per sample, [B]; the validation loss averages it over valid samples. */
export function predictionLoss(lastLogits: tf.Tensor2D, t: BatchTargets, loss: LossName): tf.Tensor1D {
  const [b, n] = lastLogits.shape;
  return tf.mul(tf.reshape(rowLoss(tf.reshape(lastLogits, [b, 1, n]), t.target, loss), [b]), t.valid) as tf.Tensor1D;
}
