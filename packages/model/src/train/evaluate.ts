// Validation accuracy (top-1 prediction in the bought set I) and loss of the
// newest state's prediction (the mixture with the copy), as the fitness rule
// reads them.
import * as tf from "@tensorflow/tfjs";
import type { BatchFeeder } from "../feed/batch.js";
import { disposeInputs, type DrnnModel } from "../model.js";
import { readValues } from "../webgpu.js";

export interface Evaluation {
  /** Share of samples whose top-1 item is in I; samples with nothing rankable count as misses. */
  accuracy: number;
  /** Mean loss over samples with at least one rankable bought item. */
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
    const slots = model.spec.pointer ? feeder.slots(part) : undefined;
    const x = feeder.inputs(part, slots);
    const t = feeder.targets(part, model.spec.loss, slots);
    const best = await model.rankAsync(x, slots, 1);
    const [loss, count] = tf.tidy(() => {
      const p = model.predictionLoss(x, t);
      return [tf.sum(p.loss), tf.sum(p.valid)];
    });
    const [lossValue, countValue] = await Promise.all([loss, count].map(readValues)).finally(() => tf.dispose([loss, count]));
    part.forEach((s, r) => {
      if (feeder.boughtItems(s).includes(best[r]?.[0] ?? -1)) hits++;
    });
    lossSum += lossValue?.[0] ?? 0;
    valid += countValue?.[0] ?? 0;
    tf.dispose([t.target, t.valid, ...(t.copy === undefined ? [] : Object.values(t.copy))]);
    disposeInputs(x);
  }
  return { accuracy: samples.length === 0 ? 0 : hits / samples.length, loss: valid === 0 ? 0 : lossSum / valid, samples: samples.length };
}
