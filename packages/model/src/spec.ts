// Chromosome -> model spec. The genes, their choices and defaults are the
// contract's gene table (@drnn/contract); this module only checks what would
// break the network.
import { ACTIVATIONS, INITS, LOSSES, OPTIMIZERS, type ActivationName, type DrnnChromosome, type InitName, type LossName, type OptimizerName } from "@drnn/contract";
import { InvalidSpecError } from "./errors.js";

export { ACTIVATIONS, INITS, LOSSES, OPTIMIZERS, type ActivationName, type InitName, type LossName, type OptimizerName };

/** The genes of DESIGN.md section 4, complete (parseChromosome fills the defaults). */
export type ChromosomeInput = DrnnChromosome;

/** Everything the network and the trainer need, with the unused genes dropped. */
export interface ModelSpec {
  /** Window states k (the history state comes on top). */
  window: number;
  /** Neurons per hidden layer, bottom first; its length is l. */
  layers: number[];
  /** The top `shortcuts` hidden layers link straight to the output (1 = only the top layer). */
  shortcuts: number;
  activation: ActivationName;
  loss: LossName;
  init: InitName;
  dropout: number;
  history: boolean;
  /** FNN hidden layers (0: branch off) and their width. */
  fnnLayers: number;
  fnnNeurons: number;
  pointer: boolean;
  optimizer: OptimizerName;
  learningRate: number;
  batchSize: number;
}

function oneOf<T extends string>(gene: string, value: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value)) {
    throw new InvalidSpecError(`${gene} = ${JSON.stringify(value)}, allowed: one of ${choices.join(", ")}`);
  }
  return value as T;
}

function positiveInt(gene: string, value: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new InvalidSpecError(`${gene} = ${JSON.stringify(value)}, allowed: integer in [1, ${max}]`);
  }
  return value;
}

export function specFromChromosome(c: ChromosomeInput): ModelSpec {
  const l = positiveInt("l", c.l);
  if (c.neurons.length < l) throw new InvalidSpecError(`neurons has ${c.neurons.length} entries, needs l = ${l}`);
  const layers = c.neurons.slice(0, l).map((n, i) => positiveInt(`neurons[${i}]`, n));
  if (!Number.isInteger(c.fnnLayers) || c.fnnLayers < 0) throw new InvalidSpecError(`fnnLayers = ${c.fnnLayers}, allowed: integer >= 0`);
  if (!(c.dropout >= 0 && c.dropout < 1)) throw new InvalidSpecError(`dropout = ${c.dropout}, allowed: [0, 1)`);
  if (!(c.learningRate > 0 && Number.isFinite(c.learningRate))) throw new InvalidSpecError(`learningRate = ${c.learningRate}, allowed: > 0`);
  return {
    window: positiveInt("w", c.w),
    layers,
    shortcuts: positiveInt("h", c.h, l),
    activation: oneOf("activation", c.activation, ACTIVATIONS),
    loss: oneOf("loss", c.loss, LOSSES),
    init: oneOf("init", c.init, INITS),
    dropout: c.dropout,
    history: c.history,
    fnnLayers: c.fnnLayers,
    fnnNeurons: c.fnnLayers > 0 ? positiveInt("fnnNeurons", c.fnnNeurons) : 0,
    pointer: c.pointer === true,
    optimizer: oneOf("optimizer", c.optimizer, OPTIMIZERS),
    learningRate: c.learningRate,
    batchSize: positiveInt("batchSize", c.batchSize),
  };
}

/**
 * Sizes that come from the dataset, not the chromosome. The bags cap the
 * variable-length inputs so a batch is a dense tensor: the history state keeps
 * its `historyBag` heaviest pages, the FNN its `purchaseBag` latest purchases.
 */
export interface ModelDims {
  pages: number;
  /** N, the generator's items (its softmax); every other item is reached through the copy slots. */
  items: number;
  historyBag: number;
  purchaseBag: number;
  /** Session items the copy scores (older ones beyond it are dropped). */
  copySlots: number;
}

export const DEFAULT_HISTORY_BAG = 16;
export const DEFAULT_PURCHASE_BAG = 32;
