// Growing a model's vocabulary for a batch of new sessions. Every id the
// model already has keeps its meaning, so its trained rows stay valid:
//  - pages never seen before are appended after the model's pages, numbered
//    as prepare numbers pages (by count, then by string); each shows the item
//    its first view named;
//  - the generator keeps its items [0, N) and grows by the items the batch's
//    training period saw that it did not cover (the candidate-set rule of
//    prepare, buildCandidateSet), appended at N, N+1, ...; every other item
//    follows them (only the copy can rank those).
// The item training counts grow by the batch's training-period counts.
import { buildCandidateSet, DEFAULT_CANDIDATE_SET, type CandidateSetOptions } from "../candidate-set.js";
import { DEFAULT_SESSIONIZER, type SessionizerOptions } from "../sessionizer.js";
import type { SplitRatios } from "../split.js";
import { buildVocabulary, Interner } from "../vocabulary.js";
import { indexOf, type ModelVocabulary } from "./model-vocabulary.js";
import { purchaseSessionsInOrder, sessionOf, trainingPeriodEnd, type ClosedSession } from "./sessions.js";

export interface VocabularyGrowth {
  vocabulary: ModelVocabulary;
  /** Old item id -> new item id (identity below the old generator size). */
  itemRemap: Int32Array;
  addedPages: number;
  /** Items that became generator items (new ones and old ones only the copy could rank). */
  addedGeneratorItems: number;
  /** Item strings the model had no id for. */
  addedItems: number;
}

export interface GrowOptions {
  split: SplitRatios;
  candidates?: CandidateSetOptions;
  sessionizer?: SessionizerOptions;
}

/** Pass 1: new pages (counted, with the item their first view names) and new item strings, in time order. */
function internNew(base: ModelVocabulary, sessions: readonly ClosedSession[]) {
  const knownPages = indexOf(base.pages);
  const items = indexOf(base.items);
  const allItems = [...base.items];
  const newPages = new Interner();
  const newPageItem: (number | undefined)[] = [];
  const itemId = (s: string): number => {
    let id = items.get(s);
    if (id === undefined) {
      id = allItems.length;
      items.set(s, id);
      allItems.push(s);
    }
    return id;
  };
  const records = sessions.flatMap((s) => s.records).sort((a, b) => a.timestamp - b.timestamp);
  for (const r of records) {
    if (r.event === "view" && !knownPages.has(r.page)) {
      const known = newPages.size;
      const p = newPages.add(r.page);
      if (p === known && r.itemId !== undefined) newPageItem[p] = itemId(r.itemId);
    } else if (r.event !== "view" && r.itemId !== undefined) itemId(r.itemId);
  }
  return { knownPages, items, allItems, newPages, newPageItem };
}

export function growVocabulary(base: ModelVocabulary, sessions: readonly ClosedSession[], o: GrowOptions): VocabularyGrowth {
  const sessionizer = o.sessionizer ?? DEFAULT_SESSIONIZER;
  const n = base.generatorItems;
  const found = internNew(base, sessions);
  const pageOrder = buildVocabulary(found.newPages.strings, (id) => found.newPages.count(id), { minCount: 1, reserved: [], fallback: -1 });
  const pageId = (p: string): number => found.knownPages.get(p) ?? base.pages.length + (pageOrder.remap[found.newPages.get(p)] ?? 0);
  // Pages -> the item they show, in provisional item ids (old ids, then new strings).
  const pageItems = [...Array.from(base.pageItems), ...pageOrder.strings.map((p) => found.newPageItem[found.newPages.get(p)] ?? -1)];
  const converted = sessions.map((s) => sessionOf(s, { page: pageId, item: (i) => found.items.get(i) ?? -1 }, sessionizer.dwell));
  const { order, valFrom } = purchaseSessionsInOrder(converted, o.split);
  const until = trainingPeriodEnd(order, valFrom);
  const total = found.allItems.length;
  const views = new Int32Array(total);
  const buys = new Int32Array(total);
  for (const s of converted) {
    if (!(s.start < until)) continue;
    for (const page of s.inputPages) {
      const item = pageItems[page] ?? -1;
      if (item >= 0) views[item] = (views[item] ?? 0) + 1;
    }
    for (const item of s.bought) buys[item] = (buys[item] ?? 0) + 1;
  }
  // The model's training period grows by the batch's: counts add up.
  for (let id = 0; id < base.items.length; id++) {
    views[id] = (views[id] ?? 0) + (base.itemTrainViews[id] ?? 0);
    buys[id] = (buys[id] ?? 0) + (base.itemTrainBuys[id] ?? 0);
  }
  // The items the generator does not cover yet, numbered by prepare's candidate-set rule.
  const rest = buildCandidateSet(found.allItems.slice(n), { views: views.slice(n), buys: buys.slice(n) }, o.candidates ?? DEFAULT_CANDIDATE_SET);
  const remap = Int32Array.from({ length: total }, (_, id) => (id < n ? id : n + (rest.remap[id - n] ?? 0)));
  const finalItems = new Array<string>(total);
  const trainViews = new Int32Array(total);
  const trainBuys = new Int32Array(total);
  for (let id = 0; id < total; id++) {
    const to = remap[id] ?? id;
    finalItems[to] = found.allItems[id] ?? "";
    trainViews[to] = views[id] ?? 0;
    trainBuys[to] = buys[id] ?? 0;
  }
  return {
    vocabulary: {
      pages: [...base.pages, ...pageOrder.strings],
      items: finalItems,
      generatorItems: n + rest.generatorItems,
      pageItems: Int32Array.from(pageItems, (item) => (item >= 0 ? (remap[item] ?? -1) : -1)),
      itemTrainViews: trainViews,
      itemTrainBuys: trainBuys,
    },
    itemRemap: remap.slice(0, base.items.length),
    addedPages: pageOrder.strings.length,
    addedGeneratorItems: rest.generatorItems,
    addedItems: total - base.items.length,
  };
}
