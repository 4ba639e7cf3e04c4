// A saved model's vocabularies (artifact.ts) <-> the data package's
// ModelVocabulary the online loop grows.
import type { ModelVocabulary } from "@drnn/data";
import type { Vocabularies } from "../artifact.js";
import type { ModelDims } from "../spec.js";

export function modelVocabulary(v: Vocabularies, dims: Pick<ModelDims, "items">): ModelVocabulary {
  return { pages: v.pages, items: v.items, generatorItems: dims.items, pageItems: v.pageItems, itemTrainViews: v.itemTrainCounts.views, itemTrainBuys: v.itemTrainCounts.buys };
}

export function vocabulariesFrom(v: ModelVocabulary): Vocabularies {
  return {
    pages: [...v.pages],
    items: [...v.items],
    pageItems: Array.from(v.pageItems),
    itemTrainCounts: { views: Array.from(v.itemTrainViews), buys: Array.from(v.itemTrainBuys) },
  };
}
