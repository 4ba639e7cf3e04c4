// Seeded weight initialisation: values come from the seeded generator passed
// in, never from TF.js's own unseeded initialisers, so a seed fixes the model.
import type { Rng } from "@drnn/contract";
import type { InitName } from "../spec.js";
import type { WeightEntry } from "./weights.js";

function gaussian(rng: Rng): number {
  // Box-Muller; 1 - next() keeps log's argument in (0, 1].
  return Math.sqrt(-2 * Math.log(1 - rng.float())) * Math.cos(2 * Math.PI * rng.float());
}

export function initialValues(entry: WeightEntry, init: InitName, rng: Rng): Float32Array {
  const size = entry.shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(size);
  const how = entry.init;
  if (how.kind === "zeros") return out;
  if (how.kind === "constant") return out.fill(how.value);
  if (how.kind === "values") return Float32Array.from(how.values);
  if (init === "xavier") {
    const limit = Math.sqrt(6 / (how.fanIn + how.fanOut));
    for (let i = 0; i < size; i++) out[i] = (2 * rng.float() - 1) * limit;
    return out;
  }
  // he and lecun scale a gaussian by fan-in; "normal" is Caffe's fixed gaussian filler.
  const std = init === "he" ? Math.sqrt(2 / how.fanIn) : init === "lecun" ? Math.sqrt(1 / how.fanIn) : 0.01;
  for (let i = 0; i < size; i++) out[i] = gaussian(rng) * std;
  return out;
}
