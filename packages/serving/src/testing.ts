// Shared by this package's tests and the serving benchmark: a small DRNN with
// every input branch switched on and a vocabulary of named pages. Not a test
// double: the real model, untrained (seeded weights).
import { DrnnModel, type ChromosomeInput, type ModelDims, type Vocabularies } from "@drnn/model";
import { ServingModel, type ModelIdentity, type ServingForward } from "./serving-model.js";

export const TEST_CHROMOSOME: ChromosomeInput = {
  w: 3,
  l: 2,
  h: 2,
  neurons: [24, 16],
  learningRate: 0.01,
  optimizer: "adam",
  activation: "tanh",
  loss: "softmax",
  batchSize: 32,
  init: "xavier",
  history: true,
  fnnLayers: 1,
  fnnNeurons: 12,
  dropout: 0,
  pointer: true,
};

/** Items of the test shop beyond the generator's N: rankable only through the copy. */
export const EXTRA_ITEMS = 4;

/**
 * Pages "<pad>", "<oov>", "p2".."p{M-1}"; every other page shows item (id mod
 * (N + EXTRA_ITEMS)), so some pages show items the generator never had.
 * Training counts: the generator's items were viewed and some bought, the extra ones never.
 */
export function testVocab(pages: number, items: number): Vocabularies {
  const names = ["<pad>", "<oov>", ...Array.from({ length: pages - 2 }, (_, i) => `p${i + 2}`)];
  const all = items + EXTRA_ITEMS;
  return {
    pages: names,
    items: Array.from({ length: all }, (_, i) => `item${i}`),
    pageItems: names.map((_, id) => (id >= 2 && id % 2 === 0 ? id % all : -1)),
    itemTrainCounts: {
      views: Array.from({ length: all }, (_, i) => (i < items ? 1 + ((i * 5) % 7) : 0)),
      buys: Array.from({ length: all }, (_, i) => (i < items ? (i * 3) % 4 : 0)),
    },
  };
}

export function testServingModel(identity: ModelIdentity, opts: { seed?: number; chromosome?: ChromosomeInput; dims?: Partial<ModelDims>; forward?: ServingForward } = {}): ServingModel {
  const dims: ModelDims = { pages: 40, items: 12, historyBag: 4, purchaseBag: 5, copySlots: 6, ...opts.dims };
  const model = DrnnModel.create(opts.chromosome ?? TEST_CHROMOSOME, dims, opts.seed ?? 7);
  const vocab = testVocab(dims.pages, dims.items);
  return ServingModel.fromModel(identity, model, vocab, {
    popularity: [
      [3, 0.5],
      [1, 0.3],
      [0, 0.2],
    ],
    purchases: { alice: [2, 5, 7] },
  }, opts.forward === undefined ? {} : { forward: opts.forward });
}
