// A weighted bag of embedding rows, sum_l w[b, l] * table[ids[b, l]], as one
// op with its own gradient: the history state's input (the eps-weighted pages
// older than the window) and the FNN's purchase bag. On cpu and wasm it is the
// fused DrnnBagSum kernel, which never builds the [B, L, E] gather (4 MB per
// history batch at the reference sizes) nor its product and sum; elsewhere it
// composes gather, multiply and sum.
import * as tf from "@tensorflow/tfjs";
import { BAG_SUM, BAG_SUM_GRAD, hasFusedKernel } from "../kernels/index.js";

export function bagSumStock(table: tf.Tensor2D, ids: tf.Tensor2D, weights: tf.Tensor2D): tf.Tensor2D {
  const [b, l] = ids.shape;
  const rows = tf.reshape(tf.gather(table, tf.reshape(ids, [-1])), [b, l, table.shape[1]]);
  return tf.sum(tf.mul(rows, tf.expandDims(weights, 2)), 1);
}

const fused = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [table, ids, weights, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([ids, weights]);
  const rows = table.shape[0];
  return {
    value: tf.engine().runKernel(BAG_SUM, { table, ids, weights }) as tf.Tensor2D,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [i, w] = saved as [tf.Tensor2D, tf.Tensor2D];
      // The ids and the weights are data (page ids and recency/dwell weights): no gradient flows into them.
      return [tf.engine().runKernel(BAG_SUM_GRAD, { dy, ids: i, weights: w }, { rows }) as tf.Tensor2D, tf.zerosLike(i), tf.zerosLike(w)];
    },
  };
}) as Parameters<typeof tf.customGrad>[0]);

/** table [V, E], ids [B, L] (ids outside [0, V) add nothing), weights [B, L] -> [B, E]. */
export function bagSum(table: tf.Tensor2D, ids: tf.Tensor2D, weights: tf.Tensor2D): tf.Tensor2D {
  if (table.dtype !== "float32" || !hasFusedKernel(BAG_SUM)) return bagSumStock(table, ids, weights);
  return fused(table, tf.cast(ids, "int32"), tf.cast(weights, "float32")) as tf.Tensor2D;
}
