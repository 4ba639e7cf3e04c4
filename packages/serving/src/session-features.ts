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
//   (a page never seen in training) is <oov>, which shows no item: its item,
//   if it has one, cannot be copied, since the model has no item id for it.
// eps_i depends only on pages at or after i, so the newest C collapsed pages
// of a bounded store carry exactly the weights the whole session gives them:
// the row equals the from-scratch row whenever the session fits the store,
// and beyond it only the oldest entries (the lightest, aged by everything
// read after them) are missing. The same holds for the copy slots: a session
// longer than the store loses the items only its oldest views showed, and
// their counts. Work per row: O(stored views).
import { DEFAULT_DWELL, PAGE_OOV, PAGE_PAD, dwellTimes, historyState, sessionItems, type HistoryState, type ItemPopularity, type SessionItems } from "@drnn/data";
import { dwellFeature, type ModelDims, type ModelSpec } from "@drnn/model";

/** One page view as the store keeps it: the raw page key and its time, epoch ms. */
export interface PageView {
  page: string;
  ts: number;
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
}

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
export function rowFromPages(ids: Int32Array, dwell: Float32Array, spec: ModelSpec, dims: ModelDims, vocab: Omit<ServingVocabulary, "pageIds">, purchases: readonly number[]): FeatureRow {
  const k = spec.window;
  const n = ids.length;
  const window = new Int32Array(k);
  const wDwell = new Float32Array(k);
  const from = Math.max(0, n - k);
  const pad = k - (n - from);
  for (let t = from; t < n; t++) {
    const page = ids[t] ?? PAGE_PAD;
    window[pad + t - from] = page;
    wDwell[pad + t - from] = page === PAGE_PAD ? 0 : dwellFeature(dwell[t] ?? 0);
  }
  const history = historyState(ids, dwell, n - k);
  const H = dims.historyBag;
  const historyPages = new Int32Array(H);
  const historyWeights = new Float32Array(H);
  heaviest(history, H).forEach((e, slot) => {
    historyPages[slot] = e.page;
    historyWeights[slot] = e.weight;
  });
  const slots = sessionItems(
    Int32Array.from(ids, (page) => vocab.pageItems[page] ?? -1),
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
  for (const id of ids) if (id !== PAGE_OOV && id !== PAGE_PAD) knownPages++;
  const newest = ids[n - 1];
  return { window, dwell: wDwell, historyPages, historyWeights, slots, purchaseItems, purchaseMask, knownPages, newestOov: newest === PAGE_OOV };
}

/** The row for the page views at hand (the stored tail, or a whole session when computing from scratch). */
export function rowFromViews(views: readonly PageView[], vocab: ServingVocabulary, spec: ModelSpec, dims: ModelDims, purchases: readonly number[]): FeatureRow {
  const ids = Int32Array.from(views, (v) => pageIdOf(vocab, v.page));
  const dwell = dwellTimes(
    views.map((v) => v.ts),
    DEFAULT_DWELL,
  );
  return rowFromPages(ids, dwell, spec, dims, vocab, purchases);
}
