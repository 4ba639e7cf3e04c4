// Dropout as x times a mask drawn by the fused DrnnDropoutMask kernel (a
// mulberry32 stream from the seed, native or JavaScript, identical either
// way) where it is registered; TF.js's tf.dropout elsewhere. TF.js draws its
// mask one seeded uniform at a time in JavaScript: with the GA's dropout
// genes that was a quarter of a training step (about a million draws).
import * as tf from "@tensorflow/tfjs";
import { DROPOUT_MASK, hasFusedKernel } from "../kernels/index.js";

/** x with each element kept (and scaled by 1/(1 - rate)) or zeroed, from `seed` (an unsigned 32-bit integer). */
export function dropout<T extends tf.Tensor>(x: T, rate: number, seed: number): T {
  if (!hasFusedKernel(DROPOUT_MASK) || x.dtype !== "float32") return tf.dropout(x, rate, undefined, seed) as T;
  const mask = tf.engine().runKernel(DROPOUT_MASK, {}, { shape: x.shape, keep: 1 - rate, seed: seed >>> 0 }) as tf.Tensor;
  return tf.mul(x, mask);
}
