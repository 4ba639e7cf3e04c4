// The two spaces shipped with the platform. Both share validity ranges and
// the paper's Table I defaults (DESIGN.md section 4), so a chromosome's JSON
// means the same thing whichever space validates it; they differ only in the
// search ranges the GA explores. Functions return fresh copies, so a caller
// editing its space can never change anyone else's.
import type { DrnnChromosome } from "../chromosome/types.js";
import type { GeneSpec, SearchSpace } from "./schema.js";

/** Table I exactly as DESIGN.md section 4 writes it, plus the pointer gene (off). */
export const PAPER_DEFAULTS: DrnnChromosome = Object.freeze({
  w: 4,
  l: 3,
  h: 1,
  neurons: Object.freeze([1000, 1000, 100]) as readonly number[],
  learningRate: 0.1,
  optimizer: "sgd",
  activation: "relu",
  loss: "softmax",
  batchSize: 9000,
  init: "xavier",
  history: true,
  fnnLayers: 3,
  fnnNeurons: 1000,
  dropout: 0,
  pointer: false,
});

type Range = { min: number; max: number };
interface SearchRanges {
  w: Range;
  l: Range;
  h: Range;
  neurons: Range;
  learningRate: Range;
  batchSize: Range;
  fnnLayers: Range;
  fnnNeurons: Range;
  dropout: Range;
}

function drnnGenes(search: SearchRanges): GeneSpec[] {
  const d = PAPER_DEFAULTS;
  return [
    { name: "w", type: "int", min: 1, max: 32, default: d.w, search: search.w, description: "window: states besides the history state" },
    { name: "l", type: "int", min: 1, max: 8, default: d.l, search: search.l, description: "hidden layers per state" },
    { name: "h", type: "int", min: 1, max: 8, maxGene: "l", default: d.h, search: search.h, description: "top layers linked straight to the output" },
    { name: "neurons", type: "int-list", lengthGene: "l", min: 1, max: 4096, log: true, default: [...d.neurons], search: search.neurons, description: "neurons a_1..a_l" },
    { name: "learningRate", type: "log-float", min: 1e-6, max: 10, digits: 3, default: d.learningRate, search: search.learningRate },
    { name: "optimizer", type: "categorical", choices: ["sgd", "momentum", "adam", "adagrad", "rmsprop"], default: d.optimizer },
    { name: "activation", type: "categorical", choices: ["relu", "tanh", "sigmoid"], default: d.activation },
    { name: "loss", type: "categorical", choices: ["softmax", "sigmoid"], default: d.loss, description: "softmax cross-entropy, or per-item sigmoid cross-entropy" },
    { name: "batchSize", type: "int", min: 1, max: 100_000, log: true, default: d.batchSize, search: search.batchSize },
    { name: "init", type: "categorical", choices: ["xavier", "he", "lecun"], default: d.init },
    { name: "history", type: "bool", default: d.history, description: "history state on/off" },
    { name: "fnnLayers", type: "int", min: 0, max: 8, default: d.fnnLayers, search: search.fnnLayers, description: "FNN branch depth; 0 turns it off" },
    { name: "fnnNeurons", type: "int", min: 1, max: 4096, log: true, default: d.fnnNeurons, search: search.fnnNeurons, when: [{ gene: "fnnLayers", op: "gt", value: 0 }] },
    { name: "dropout", type: "float", min: 0, max: 0.9, digits: 2, default: d.dropout, search: search.dropout },
    { name: "pointer", type: "bool", default: d.pointer, description: "point back at the session's own pages when pages are items" },
  ];
}

/**
 * Sized for a 2-core CPU with pure TF.js (about 0.8 GFLOP/s): small layers
 * and batches, at most 3 layers, so one fitness job takes minutes, not hours.
 */
export function cpuSearchSpace(): SearchSpace {
  return {
    name: "drnn-cpu",
    description: "DRNN genes, search ranges sized for a 2-core CPU machine",
    genes: drnnGenes({
      w: { min: 1, max: 6 },
      l: { min: 1, max: 3 },
      h: { min: 1, max: 3 },
      neurons: { min: 16, max: 256 },
      learningRate: { min: 1e-3, max: 0.5 },
      batchSize: { min: 32, max: 1024 },
      fnnLayers: { min: 0, max: 2 },
      fnnNeurons: { min: 16, max: 256 },
      dropout: { min: 0, max: 0.5 },
    }),
  };
}

/** The paper's scale: layers up to 2000 wide, batches up to the 10,000 its GPU held. */
export function paperSearchSpace(): SearchSpace {
  return {
    name: "drnn-paper",
    description: "DRNN genes, search ranges at the paper's GPU scale",
    genes: drnnGenes({
      w: { min: 1, max: 10 },
      l: { min: 1, max: 5 },
      h: { min: 1, max: 5 },
      neurons: { min: 50, max: 2000 },
      learningRate: { min: 1e-4, max: 1 },
      batchSize: { min: 500, max: 10_000 },
      fnnLayers: { min: 0, max: 4 },
      fnnNeurons: { min: 100, max: 2000 },
      dropout: { min: 0, max: 0.5 },
    }),
  };
}

/** The platform's default: the CPU-sized space. */
export function defaultSearchSpace(): SearchSpace {
  return cpuSearchSpace();
}
