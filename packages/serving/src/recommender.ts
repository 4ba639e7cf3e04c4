// Page view -> top-k items. The session store records the view and hands back
// the bounded state. With the SessionScorer (the default) each view is scored
// at once, in its own request: one row costs ~0.1 ms, and a batch would only
// make the first request wait for the last. Only the TF.js fallback gathers
// rows from concurrent requests into one batch per event-loop turn
// (micro-batching), where one forward pass is cheaper than many. Cold start: a session with no page in the vocabulary (and, with the copy,
// no item a view named) gets the FNN for
// a known user with purchases (the model with an empty window: output bias +
// FNN logits) and training popularity otherwise.
import { PAGE_PAD } from "@drnn/data";
import type { ModelHolder } from "./model-holder.js";
import { emptyRow, type ModelIdentity, type ScoredItem, type ServingModel } from "./serving-model.js";
import { rowFromViews, type FeatureRow, type SessionSnapshot } from "./session-features.js";

export type RecommendationSource = "drnn" | "fnn" | "popularity";

export interface Recommendation {
  model: ModelIdentity;
  source: RecommendationSource;
  /** The newest page was not in the model's vocabulary (served as <oov>). */
  oov: boolean;
  items: ScoredItem[];
}

interface Pending {
  snapshot: SessionSnapshot;
  k: number;
  resolve: (r: Recommendation) => void;
  reject: (err: unknown) => void;
}

export interface RecommenderOptions {
  /** Most rows in one forward pass (default 64). */
  maxBatch?: number;
}

export class Recommender {
  private queue: Pending[] = [];
  private scheduled = false;
  private readonly maxBatch: number;

  constructor(
    private readonly holder: ModelHolder,
    options: RecommenderOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 64;
  }

  recommend(snapshot: SessionSnapshot, k: number): Promise<Recommendation> {
    if (this.holder.current?.scoresEachView === true) return this.now(snapshot, k);
    return new Promise((resolve, reject) => {
      this.queue.push({ snapshot, k, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private async now(snapshot: SessionSnapshot, k: number): Promise<Recommendation> {
    const model = this.holder.acquire();
    try {
      return recommendBatch(model, [{ snapshot, k }])[0] as Recommendation;
    } finally {
      model.release();
    }
  }

  private flush(): void {
    this.scheduled = false;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      let model: ServingModel;
      try {
        model = this.holder.acquire();
      } catch (err) {
        for (const p of batch) p.reject(err);
        continue;
      }
      try {
        const out = recommendBatch(model, batch.map((p) => ({ snapshot: p.snapshot, k: p.k })));
        batch.forEach((p, i) => p.resolve(out[i] as Recommendation));
      } catch (err) {
        for (const p of batch) p.reject(err);
      } finally {
        model.release();
      }
    }
  }
}

export interface RecommendRequest {
  snapshot: SessionSnapshot;
  k: number;
  /** The user's earlier purchases (model item ids), in place of the served model's record of them (a replay of past sessions). */
  purchases?: readonly number[];
}

/** The rows of one batch through one forward pass; popularity rows skip the model. */
export function recommendBatch(model: ServingModel, requests: readonly RecommendRequest[]): Recommendation[] {
  const { spec, dims } = model.model;
  const plans = requests.map(({ snapshot, purchases: given }) => {
    const purchases = given ?? model.purchasesOf(snapshot.userId);
    const row = rowFromViews(snapshot.views, model.vocab, spec, dims, purchases);
    // A session whose pages are all new to the model still showed items the copy can rank (viewIds).
    if (row.knownPages > 0 || (spec.pointer && row.slots.count > 0)) return { source: "drnn" as const, row, oov: row.newestOov };
    if (purchases.length > 0 && spec.fnnLayers > 0) return { source: "fnn" as const, row: coldStartRow(row, spec.window, dims.historyBag, dims.copySlots), oov: row.newestOov };
    return { source: "popularity" as const, row: null, oov: row.newestOov };
  });
  const modelRows: FeatureRow[] = [];
  const at = plans.map((p) => (p.row === null ? -1 : modelRows.push(p.row) - 1));
  const maxK = Math.max(1, ...requests.map((r) => r.k));
  const ranked = model.top(modelRows, maxK);
  return plans.map((p, i) => {
    const k = requests[i]?.k ?? maxK;
    const j = at[i] ?? -1;
    const items = j >= 0 ? (ranked[j] ?? []).slice(0, k) : model.popular(k);
    return { model: model.identity, source: p.source, oov: p.oov, items };
  });
}

/** Only the purchase bag survives: no window page, no history, no copy slot (no known page and no item the copy could rank). */
function coldStartRow(row: FeatureRow, k: number, historyBag: number, copySlots: number): FeatureRow {
  const empty = emptyRow(k, historyBag, row.purchaseItems.length, copySlots);
  empty.window.fill(PAGE_PAD);
  return { ...empty, purchaseItems: row.purchaseItems, purchaseMask: row.purchaseMask };
}
