// The activation gene and seeded dropout, shared by the RNN and the FNN branch.
import * as tf from "@tensorflow/tfjs";
import { dropout } from "../ops/index.js";
import type { ActivationName } from "../spec.js";

export function activate(x: tf.Tensor2D, f: ActivationName): tf.Tensor2D {
  if (f === "relu") return tf.relu(x);
  if (f === "tanh") return tf.tanh(x);
  return tf.sigmoid(x);
}

export type Dropout = (x: tf.Tensor2D) => tf.Tensor2D;

/**
 * Dropout only while training, each call with its own seed derived from the
 * batch seed, so a training run replays exactly from its seed.
 */
export function makeDropout(rate: number, training: boolean, seed: number): Dropout {
  if (!training || rate <= 0) return (x) => x;
  let call = 0;
  return (x) => dropout(x, rate, (seed + 7919 * call++) >>> 0);
}
