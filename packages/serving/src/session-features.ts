// A session's page views -> one row of model inputs, with @drnn/data's own
// rules, so a served prediction sees what training saw:
// - dwell theta(p_t) = time to the next page (capped), the newest page the
//   median of the others (dwellTimes);
// - the last k pages fill the window; older ones collapse into V_bar with the
//   aging factor eps_i = theta_i / sum_{j=i..m} theta_j (historyState);
// - the history bag keeps its H heaviest entries (as BatchFeeder does);
// - the copy slots come from sessionItems over the items the views showed and
//   their dwell as known so far (dwellTimes of the views so far equals
//   knownDwell, the feeder's rule). A page the served vocabulary does not know
//   (a page never seen in training) goes into the embedding as <oov>, but
//   when the view names its item, that item stays a copy candidate (the
//   copy's slot features do not depend on the item), as the online loop's
//   scorer treats it (sessionDataset): the page gets an id after the model's
//   pages, an item the model does not know an id after its items, named by
//   the row. Without the view's item such a page shows nothing.
// eps_i depends only on pages at or after i, so the newest C collapsed pages
// of a bounded store carry exactly the weights the whole session gives them:
// the row equals the from-scratch row whenever the session fits the store,
// and beyond it only the oldest entries (the lightest, aged by everything
// read after them) are missing. The same holds for the copy slots: a session
// longer than the store loses the items only its oldest views showed, and
// their counts. Work per row: O(stored views).
import { DEFAULT_DWELL, PAGE_OOV, PAGE_PAD, dwellTimes, embeddingPage, historyState, sessionItems, type HistoryState, type ItemPopularity, type SessionItems } from "@drnn/data";
import { dwellFeature, type ModelDims, type ModelSpec } from "@drnn/model";

/** One page view as the store keeps it: the raw page key and its time, epoch ms. */
export interface PageView {
  page: string;
  ts: number;
  /** The item the page shows, when the view names it (what a page the model never saw offers the copy). */
  item?: string | undefined;
}

/** What the session store hands back per page view. */
export interface SessionSnapshot {
  sessionId: string;
  /** The newest views, oldest first, at most the store's capacity. */
  views: PageView[];
  /** Page views in the whole session (may exceed views.length). */
  total: number;
  userId: string | undefined;
}

/** How the served model names pages and items. */
export interface ServingVocabulary {
  pageIds: ReadonlyMap<string, number>;
  /** Page id -> item id, -1 where the page shows no item. */
  pageItems: ArrayLike<number>;
  /** Per item id: training-period popularity, a copy-slot feature (sessionItems). */
  popularity: ItemPopularity;
  /** Item key -> the model's item id; ids from `itemCount` on are items the model does not know. */
  itemIds: ReadonlyMap<string, number>;
  itemCount: number;
}

/** The pages and items of a row that the served model does not know: ids after its pages and items. */
export interface UnknownIds {
  /** Per page id from the model's page count on: the item id it shows, -1 for none. */
  pageItems: readonly number[];
  /** Per item id from the vocabulary's itemCount on: its key (how the answer names it). */
  items: readonly string[];
}

const NO_UNKNOWN: UnknownIds = { pageItems: [], items: [] };

/** One sample's inputs as plain arrays; `pack` turns rows into tensors. */
export interface FeatureRow {
  window: Int32Array;
  dwell: Float32Array;
  historyPages: Int32Array;
  historyWeights: Float32Array;
  /** The session's own items for the copy (read only by a model with the pointer gene). */
  slots: SessionItems;
  purchaseItems: Int32Array;
  purchaseMask: Float32Array;
  /** Pages in the vocabulary among the views considered. */
  knownPages: number;
  /** The newest page was not in the vocabulary. */
  newestOov: boolean;
  /** Names of the item ids after the vocabulary's that the copy slots hold. */
  unknownItems: readonly string[];
}

export function pageIdOf(vocab: ServingVocabulary, page: string): number {
  return vocab.pageIds.get(page) ?? PAGE_OOV;
}

/** The `cap` heaviest (page, weight) entries, ordered exactly as BatchFeeder orders them. */
export function heaviest(h: HistoryState, cap: number): { page: number; weight: number }[] {
  const all = Array.from(h.pages, (page, i) => ({ page, weight: h.weights[i] ?? 0 }));
  if (all.length <= cap) return all;
  return all.sort((a, b) => b.weight - a.weight).slice(0, cap);
}

/** Builds the row from page ids and dwell seconds (shared by the served and the from-scratch path). */
export function rowFromPages(
  ids: Int32Array,
  dwell: Float32Array,
  spec: ModelSpec,
  dims: ModelDims,
  vocab: Pick<ServingVocabulary, "pageItems" | "popularity">,
  purchases: readonly number[],
  unknown: UnknownIds = NO_UNKNOWN,
): FeatureRow {
  const k = spec.window;
  const pageCount = dims.pages;
  const n = ids.length;
  const window = new Int32Array(k);
  const wDwell = new Float32Array(k);
  const from = Math.max(0, n - k);
  const pad = k - (n - from);
  for (let t = from; t < n; t++) {
    const page = ids[t] ?? PAGE_PAD;
    window[pad + t - from] = embeddingPage(page, pageCount);
    wDwell[pad + t - from] = page === PAGE_PAD ? 0 : dwellFeature(dwell[t] ?? 0);
  }
  const history = historyState(ids, dwell, n - k);
  const H = dims.historyBag;
  const historyPages = new Int32Array(H);
  const historyWeights = new Float32Array(H);
  heaviest(history, H).forEach((e, slot) => {
    historyPages[slot] = embeddingPage(e.page, pageCount);
    historyWeights[slot] = e.weight;
  });
  const slots = sessionItems(
    Int32Array.from(ids, (page) => (page < pageCount ? (vocab.pageItems[page] ?? -1) : (unknown.pageItems[page - pageCount] ?? -1))),
    dwell,
    vocab.popularity,
    dims.copySlots,
  );
  const P = dims.purchaseBag;
  const purchaseItems = new Int32Array(P);
  const purchaseMask = new Float32Array(P);
  // The latest P purchases, then only the generator's items among them: BatchFeeder's rule.
  const latest = purchases.slice(-P).filter((i) => i >= 0 && i < dims.items);
  latest.forEach((item, slot) => {
    purchaseItems[slot] = item;
    purchaseMask[slot] = 1;
  });
  let knownPages = 0;
  for (const id of ids) if (id !== PAGE_OOV && id !== PAGE_PAD && id < pageCount) knownPages++;
  const newest = ids[n - 1] ?? PAGE_PAD;
  const newestOov = newest === PAGE_OOV || newest >= pageCount;
  return { window, dwell: wDwell, historyPages, historyWeights, slots, purchaseItems, purchaseMask, knownPages, newestOov, unknownItems: unknown.items };
}

/** The row for the page views at hand (the stored tail, or a whole session when computing from scratch). */
export function rowFromViews(views: readonly PageView[], vocab: ServingVocabulary, spec: ModelSpec, dims: ModelDims, purchases: readonly number[]): FeatureRow {
  const { ids, unknown } = viewIds(views, vocab, dims.pages);
  const dwell = dwellTimes(
    views.map((v) => v.ts),
    DEFAULT_DWELL,
  );
  return rowFromPages(ids, dwell, spec, dims, vocab, purchases, unknown);
}

/**
 * The views' page ids: the vocabulary's, or for a page it does not know whose
 * view names an item, an id after the model's `pageCount` pages showing that
 * item (the model's id, or one after its items); <oov> without an item.
 */
export function viewIds(views: readonly PageView[], vocab: ServingVocabulary, pageCount: number): { ids: Int32Array; unknown: UnknownIds } {
  const newPages = new Map<string, number>();
  const newItems = new Map<string, number>();
  const unknown = { pageItems: [] as number[], items: [] as string[] };
  const itemId = (item: string): number => {
    let id = vocab.itemIds.get(item) ?? newItems.get(item);
    if (id === undefined) {
      id = vocab.itemCount + unknown.items.length;
      newItems.set(item, id);
      unknown.items.push(item);
    }
    return id;
  };
  const ids = Int32Array.from(views, (v) => {
    const known = vocab.pageIds.get(v.page);
    if (known !== undefined) return known;
    if (v.item === undefined) return PAGE_OOV;
    let id = newPages.get(v.page);
    if (id === undefined) {
      id = pageCount + unknown.pageItems.length;
      newPages.set(v.page, id);
      unknown.pageItems.push(itemId(v.item));
    }
    return id;
  });
  return { ids, unknown };
}
