// Softmax cross-entropy of every state's logits against a per-sample target
// distribution, as one op with its own gradient. On cpu and wasm it is the
// fused DrnnSoftmaxXent kernel (one pass forward, one backward, the softmax
// kept from the forward pass) instead of max, sub, exp, sum, log, mul and
// their gradients over [B, S, N]; elsewhere it composes the stock ops.
import * as tf from "@tensorflow/tfjs";
import { hasFusedKernel, SOFTMAX_XENT, SOFTMAX_XENT_GRAD } from "../kernels/index.js";

/** -sum_j target[b, j] * log softmax(logits[b, s])_j with stock ops, [B, S]. */
export function softmaxCrossEntropyStock(logits: tf.Tensor3D, target: tf.Tensor2D): tf.Tensor2D {
  return tf.neg(tf.sum(tf.mul(tf.expandDims(target, 1), tf.logSoftmax(logits)), -1)) as tf.Tensor2D;
}

const fused = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [logits, target, save] = args as [tf.Tensor3D, tf.Tensor2D, tf.GradSaveFunc];
  const [loss, probs] = tf.engine().runKernel(SOFTMAX_XENT, { logits, target }) as [tf.Tensor2D, tf.Tensor3D];
  save([probs, target]);
  return {
    value: loss,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [p, t] = saved as [tf.Tensor3D, tf.Tensor2D];
      // No gradient flows into the target: it is data.
      return [tf.engine().runKernel(SOFTMAX_XENT_GRAD, { dy, probs: p, target: t }) as tf.Tensor3D, tf.zerosLike(t)];
    },
  };
}) as Parameters<typeof tf.customGrad>[0]);

/**
 * logits [B, S, N] (S states per sample), target [B, N] (a distribution over
 * the bought items, or all zero for a sample without one) -> loss [B, S].
 */
export function softmaxCrossEntropy(logits: tf.Tensor3D, target: tf.Tensor2D): tf.Tensor2D {
  if (logits.dtype !== "float32" || !hasFusedKernel(SOFTMAX_XENT)) return softmaxCrossEntropyStock(logits, target);
  return fused(logits, tf.cast(target, "float32")) as tf.Tensor2D;
}
