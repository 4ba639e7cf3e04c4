// Seeded dropout, shared by the RNN and the FNN branch (the activation gene
// is ops/bias-activation.ts).
import type * as tf from "@tensorflow/tfjs";
import { dropout } from "../ops/index.js";

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
