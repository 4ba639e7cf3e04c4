// Spec -> TF.js LayersModel with seeded initial weights.
import * as tf from "@tensorflow/tfjs";
import { Rng } from "@drnn/contract";
import type { ModelDims, ModelSpec } from "../spec.js";
import { DrnnLayer, registerDrnnLayers } from "./drnn-layer.js";
import { initialValues } from "./init.js";
import { weightTable } from "./weights.js";

export interface BuiltNetwork {
  model: tf.LayersModel;
  layer: DrnnLayer;
}

export function buildNetwork(spec: ModelSpec, dims: ModelDims, seed: number): BuiltNetwork {
  registerDrnnLayers();
  const layer = new DrnnLayer({ name: "drnn", spec, dims });
  const inputs = layer.layout.map((slot) => tf.input({ shape: slot.shape, dtype: slot.dtype, name: slot.name }));
  const output = layer.apply(inputs) as tf.SymbolicTensor;
  const model = tf.model({ inputs, outputs: output, name: "drnn_model" });
  const rng = Rng.fromSeed(seed);
  for (const entry of weightTable(spec, dims)) {
    const value = tf.tensor(initialValues(entry, spec.init, rng), entry.shape);
    layer.variable(entry.name).write(value);
    value.dispose();
  }
  return { model, layer };
}

/** The DrnnLayer inside a (loaded) LayersModel. */
export function drnnLayerOf(model: tf.LayersModel): DrnnLayer {
  const layer = model.layers.find((l): l is DrnnLayer => l instanceof DrnnLayer);
  if (layer === undefined) throw new Error("the model has no DrnnLayer");
  return layer;
}
