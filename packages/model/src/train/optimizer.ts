// The optimizer and learning-rate genes, with the paper's step decay
// (learning rate divided by 5 every 100 epochs) as an option.
import * as tf from "@tensorflow/tfjs";
import { FUSED_ADAM, hasFusedKernel } from "../kernels/index.js";
import type { OptimizerName } from "../spec.js";
import { FusedAdamOptimizer } from "./fused-adam.js";

export interface StepDecay {
  every: number;
  factor: number;
}

export const PAPER_STEP_DECAY: StepDecay = { every: 100, factor: 5 };

export function makeOptimizer(name: OptimizerName, learningRate: number): tf.Optimizer {
  switch (name) {
    case "sgd":
      return tf.train.sgd(learningRate);
    case "momentum":
      return tf.train.momentum(learningRate, 0.9);
    case "adam":
      return hasFusedKernel(FUSED_ADAM) ? new FusedAdamOptimizer(learningRate) : tf.train.adam(learningRate);
    case "rmsprop":
      return tf.train.rmsprop(learningRate);
    case "adagrad":
      return tf.train.adagrad(learningRate);
  }
}

/** Learning rate of a 1-based epoch. */
export function learningRateAt(base: number, epoch: number, decay: StepDecay | undefined): number {
  if (decay === undefined) return base;
  return base / decay.factor ** Math.floor((epoch - 1) / decay.every);
}

/** TF.js optimizers read `learningRate` on every step; SGD caches a scalar that setLearningRate refreshes. */
export function setLearningRate(optimizer: tf.Optimizer, rate: number): void {
  const o = optimizer as unknown as { learningRate: number; setLearningRate?: (r: number) => void };
  if (typeof o.setLearningRate === "function") o.setLearningRate(rate);
  else o.learningRate = rate;
}
