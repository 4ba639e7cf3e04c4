// A trained model with a grown vocabulary: more pages (embedding rows) and
// more generator items (output columns, output bias, FNN rows and columns).
// The grown model is built, and so initialised, as DrnnModel.create builds
// any model (seeded, init gene); then every trained weight is written back
// into its leading block. That is right because growVocabulary keeps every
// old page and generator item at its old id and appends the new ones.
import * as tf from "@tensorflow/tfjs";
import { DrnnModel } from "../model.js";
import { weightTable } from "../network/weights.js";
import type { ModelDims } from "../spec.js";

export interface GrowSizes {
  pages: number;
  /** Generator items N. */
  items: number;
}

/** A new model (the caller disposes both); `seed` initialises the new rows. */
export async function growModel(model: DrnnModel, sizes: GrowSizes, seed: number): Promise<DrnnModel> {
  if (sizes.pages < model.dims.pages || sizes.items < model.dims.items) {
    throw new RangeError(`a vocabulary only grows: ${model.dims.pages} pages / ${model.dims.items} items -> ${sizes.pages} / ${sizes.items}`);
  }
  const dims: ModelDims = { ...model.dims, pages: sizes.pages, items: sizes.items };
  const grown = DrnnModel.create(model.chromosome, dims, seed);
  const shapes = new Map(weightTable(model.spec, dims).map((e) => [e.name, e.shape]));
  for (const entry of weightTable(model.spec, model.dims)) {
    const shape = shapes.get(entry.name) ?? entry.shape;
    const to = grown.layer.variable(entry.name);
    const [trained, fresh] = await Promise.all([model.layer.variable(entry.name).read().data(), to.read().data()]);
    const values = leadingBlock(fresh as Float32Array, shape, trained as Float32Array, entry.shape);
    const t = tf.tensor(values, shape, "float32");
    to.write(t);
    t.dispose();
  }
  return grown;
}

/** `fresh` with its leading [rows, cols] block (or leading entries, 1-D) replaced by `trained`. */
export function leadingBlock(fresh: Float32Array, shape: readonly number[], trained: Float32Array, trainedShape: readonly number[]): Float32Array {
  const out = fresh.slice();
  if (shape.length === 1) {
    out.set(trained.subarray(0, Math.min(trained.length, out.length)));
    return out;
  }
  const cols = shape[1] ?? 1;
  const [rows0, cols0] = [trainedShape[0] ?? 0, trainedShape[1] ?? 1];
  for (let r = 0; r < rows0; r++) out.set(trained.subarray(r * cols0, (r + 1) * cols0), r * cols);
  return out;
}
