// Every trainable tensor of the DRNN, named once. The table drives both the
// custom layer's addWeight calls (so save/load sees them) and the seeded
// initialisation. Weights are per layer, not per state: all states share them.
import type * as tf from "@tensorflow/tfjs";
import { COPY_FEATURES } from "@drnn/data";
import type { ModelDims, ModelSpec } from "../spec.js";
import { COPY_INITIAL_GATE_BIAS, COPY_INITIAL_WEIGHTS, type CopyWeights } from "./copy.js";

/** How a weight starts: scaled by fan-in/fan-out per the init gene, zeros, a constant, or given values. */
export type WeightInit = { kind: "matrix"; fanIn: number; fanOut: number } | { kind: "zeros" } | { kind: "constant"; value: number } | { kind: "values"; values: number[] };

export interface WeightEntry {
  name: string;
  shape: number[];
  init: WeightInit;
}

const matrix = (name: string, rows: number, cols: number): WeightEntry => ({
  name,
  shape: [rows, cols],
  init: { kind: "matrix", fanIn: rows, fanOut: cols },
});
const zeros = (name: string, size: number): WeightEntry => ({ name, shape: [size], init: { kind: "zeros" } });

export function weightTable(spec: ModelSpec, dims: ModelDims): WeightEntry[] {
  const e = spec.layers;
  const first = e[0] ?? 1;
  // Z_1 applied to a one-hot page vector is a row lookup: an embedding.
  const table: WeightEntry[] = [matrix("embed", dims.pages, first), { name: "dwell", shape: [first], init: { kind: "matrix", fanIn: 1, fanOut: first } }];
  e.forEach((size, i) => {
    if (i > 0) table.push(matrix(`z${i + 1}`, e[i - 1] ?? 1, size));
    table.push(matrix(`w${i + 1}`, size, size), zeros(`b${i + 1}`, size));
  });
  for (const j of shortcutLayers(spec)) table.push(matrix(`out${j + 1}`, e[j] ?? 1, dims.items));
  table.push(zeros("outBias", dims.items));
  if (spec.fnnLayers > 0) {
    const f = spec.fnnNeurons;
    table.push(matrix("fnnIn", dims.items, f), zeros("fnnInBias", f));
    for (let i = 1; i < spec.fnnLayers; i++) table.push(matrix(`fnn${i + 1}`, f, f), zeros(`fnn${i + 1}Bias`, f));
    table.push(matrix("fnnOut", f, dims.items), zeros("fnnOutBias", dims.items));
  }
  if (spec.pointer) {
    // The copy starts as S-POP (copy.ts): H and v at zero, u and b as given there.
    const top = e[e.length - 1] ?? 1;
    table.push({ name: "copyFeature", shape: [COPY_FEATURES.length], init: { kind: "values", values: COPY_FEATURES.map((f) => COPY_INITIAL_WEIGHTS[f]) } });
    table.push({ name: "copyContext", shape: [top, COPY_FEATURES.length], init: { kind: "zeros" } });
    table.push({ name: "copyGate", shape: [top, 1], init: { kind: "zeros" } });
    table.push({ name: "copyGateBias", shape: [1], init: { kind: "constant", value: COPY_INITIAL_GATE_BIAS } });
  }
  return table;
}

/** Indices (0-based, bottom first) of the hidden layers linked to the output: the top h. */
export function shortcutLayers(spec: ModelSpec): number[] {
  const l = spec.layers.length;
  return Array.from({ length: Math.min(spec.shortcuts, l) }, (_, i) => l - 1 - i);
}

export interface RecurrentLayerWeights {
  /** W_i: from the same layer of the previous state. */
  recurrent: tf.Tensor2D;
  /** Z_i: from the layer below in the same state; absent for layer 1 (the embedding). */
  up?: tf.Tensor2D;
  bias: tf.Tensor1D;
}

export interface FnnWeights {
  input: tf.Tensor2D;
  inputBias: tf.Tensor1D;
  hidden: { w: tf.Tensor2D; b: tf.Tensor1D }[];
  out: tf.Tensor2D;
  outBias: tf.Tensor1D;
}

/** The weights by role, as the forward pass reads them. */
export interface DrnnWeights {
  embed: tf.Tensor2D;
  dwell: tf.Tensor1D;
  layers: RecurrentLayerWeights[];
  /** One output matrix per shortcut layer, keyed by layer index. */
  shortcuts: { layer: number; w: tf.Tensor2D }[];
  outBias: tf.Tensor1D;
  fnn?: FnnWeights;
  copy?: CopyWeights;
}

export function weightsByRole(spec: ModelSpec, get: (name: string) => tf.Tensor): DrnnWeights {
  const m = (n: string) => get(n) as tf.Tensor2D;
  const v = (n: string) => get(n) as tf.Tensor1D;
  const w: DrnnWeights = {
    embed: m("embed"),
    dwell: v("dwell"),
    layers: spec.layers.map((_, i) => ({ recurrent: m(`w${i + 1}`), bias: v(`b${i + 1}`), ...(i > 0 ? { up: m(`z${i + 1}`) } : {}) })),
    shortcuts: shortcutLayers(spec).map((j) => ({ layer: j, w: m(`out${j + 1}`) })),
    outBias: v("outBias"),
  };
  if (spec.fnnLayers > 0) {
    w.fnn = {
      input: m("fnnIn"),
      inputBias: v("fnnInBias"),
      hidden: Array.from({ length: spec.fnnLayers - 1 }, (_, i) => ({ w: m(`fnn${i + 2}`), b: v(`fnn${i + 2}Bias`) })),
      out: m("fnnOut"),
      outBias: v("fnnOutBias"),
    };
  }
  if (spec.pointer) w.copy = { feature: v("copyFeature"), context: m("copyContext"), gate: m("copyGate"), gateBias: v("copyGateBias") };
  return w;
}
