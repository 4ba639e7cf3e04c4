// Validation accuracy (top-1 prediction in the bought set I) and loss of the
// last state, as the fitness rule reads them.
import * as tf from "@tensorflow/tfjs";
import type { BatchFeeder } from "../feed/batch.js";
import type { DrnnModel } from "../model.js";
import { lastState } from "../network/forward.js";
import { predictionLoss } from "./loss.js";
import { readValues } from "../webgpu.js";

export interface Evaluation {
  /** Share of samples whose top-1 item is in I; samples with no in-vocabulary item count as misses. */
  accuracy: number;
  /** Mean loss over samples with at least one in-vocabulary item. */
  loss: number;
  samples: number;
}

/** Reads asynchronously (what WebGPU needs; the same values on every backend). */
export async function evaluate(model: DrnnModel, feeder: BatchFeeder, samples: Int32Array, batchSize = 512): Promise<Evaluation> {
  let hits = 0;
  let lossSum = 0;
  let valid = 0;
  for (let from = 0; from < samples.length; from += batchSize) {
    const part = samples.subarray(from, from + batchSize);
    const [top, loss, count] = tf.tidy(() => {
      const t = feeder.targets(part, model.spec.loss);
      const last = lastState(model.logits(feeder.inputs(part)));
      return [tf.argMax(last, 1), tf.sum(predictionLoss(last, t, model.spec.loss)), tf.sum(t.valid)];
    });
    const [best, lossValue, countValue] = await Promise.all([top, loss, count].map(readValues)).finally(() => tf.dispose([top, loss, count]));
    part.forEach((s, r) => {
      if (feeder.targetSet(s).includes(best?.[r] ?? -1)) hits++;
    });
    lossSum += lossValue?.[0] ?? 0;
    valid += countValue?.[0] ?? 0;
  }
  return { accuracy: samples.length === 0 ? 0 : hits / samples.length, loss: valid === 0 ? 0 : lossSum / valid, samples: samples.length };
}
