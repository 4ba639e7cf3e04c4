// One registered model version, loaded for serving: the DRNN, its
// vocabularies, and the cold-start facts written at promotion (item
// popularity in training, each known user's purchase history). It counts the
// batches using it, so a hot swap disposes the old weights only once the
// last batch that picked it up has finished. Page views are scored by the
// model package's SessionScorer (last state only, no TF.js, weights copied
// once at load); the TF.js batch forward stays as the reference (`mixtures`)
// and as the fallback when the scorer cannot be built. Both rank with the
// mixture's one rule (rankMixture -> mergeMixture): the session's own items,
// even ones the generator never had, compete with the generator's items.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { COPY_FEATURE_COUNT, itemPopularity, type ItemPopularity, type SessionItems } from "@drnn/data";
import {
  MODEL_ARTIFACT_VERSION,
  copyInputsOf,
  disposeInputs,
  loadModel,
  rankMixture,
  SessionScorer,
  type DrnnInputs,
  type DrnnModel,
  type ModelMeta,
  type RowMixture,
  type RowProductsChoice,
  type Vocabularies,
} from "@drnn/model";
import { ServingArtifactError } from "./errors.js";
import type { FeatureRow, ServingVocabulary } from "./session-features.js";

export const SERVING_FILE = "serving.json";

/** serving.json: what the serving path needs beyond the model and its vocabularies. */
export interface ServingExtras {
  kind: "drnn-serving";
  datasetHash: string | null;
  /** Items by how often they were bought in training, most first: [item id, share of purchases]. */
  popularity: [number, number][];
  /** User id -> distinct items bought, oldest first (the FNN's input for a known user). */
  purchases: Record<string, number[]>;
}

export interface ModelIdentity {
  /** ModelVersion row id. */
  id: string;
  name: string;
  version: number;
}

export interface ScoredItem {
  item: string;
  score: number;
}

/** What scores a page view: SessionScorer with its product engine ("auto": OpenBLAS, else JS), or the TF.js batch forward. */
export type ServingForward = RowProductsChoice | "tfjs";

export interface ServingModelOptions {
  forward?: ServingForward;
}

export class ServingModel {
  private refs = 0;
  private retired = false;
  private disposed = false;
  private readonly scorer: SessionScorer | null;

  private constructor(
    readonly identity: ModelIdentity,
    readonly model: DrnnModel,
    readonly meta: ModelMeta,
    readonly vocab: ServingVocabulary,
    readonly items: readonly string[],
    readonly popularity: readonly [number, number][],
    readonly purchases: ReadonlyMap<string, readonly number[]>,
    options: ServingModelOptions,
  ) {
    this.scorer = scorerFor(model, options.forward ?? "auto");
  }

  static async load(dir: string, identity: ModelIdentity, options: ServingModelOptions = {}): Promise<ServingModel> {
    const loaded = await loadModel(dir);
    if (loaded.vocabularies === undefined) {
      loaded.model.dispose();
      throw new ServingArtifactError(`${dir} has no vocabularies: the model cannot map page keys to ids`);
    }
    const v = loaded.vocabularies;
    const extras = readExtras(dir);
    const pageIds = new Map<string, number>();
    v.pages.forEach((p, id) => {
      if (id >= 2 && !pageIds.has(p)) pageIds.set(p, id);
    });
    const vocab = { pageIds, pageItems: Int32Array.from(v.pageItems), popularity: popularityOf(v.itemTrainCounts, v.items.length), ...itemIdsOf(v.items) };
    return new ServingModel(identity, loaded.model, loaded.meta, vocab, v.items, extras.popularity, new Map(Object.entries(extras.purchases)), options);
  }

  /** For tests and benchmarks: a model built in memory. */
  static fromModel(
    identity: ModelIdentity,
    model: DrnnModel,
    vocab: Pick<Vocabularies, "pages" | "items" | "pageItems"> & Partial<Pick<Vocabularies, "itemTrainCounts">>,
    extras: Partial<ServingExtras> = {},
    options: ServingModelOptions = {},
  ): ServingModel {
    const pageIds = new Map<string, number>();
    vocab.pages.forEach((p, id) => {
      if (id >= 2 && !pageIds.has(p)) pageIds.set(p, id);
    });
    const meta: ModelMeta = { kind: "drnn-model", version: MODEL_ARTIFACT_VERSION, chromosome: model.chromosome, spec: model.spec, dims: model.dims };
    const served = { pageIds, pageItems: Int32Array.from(vocab.pageItems), popularity: popularityOf(vocab.itemTrainCounts, vocab.items.length), ...itemIdsOf(vocab.items) };
    return new ServingModel(identity, model, meta, served, vocab.items, extras.popularity ?? [], new Map(Object.entries(extras.purchases ?? {})), options);
  }

  /** True when page views are scored one at a time (the scorer); false when they are worth batching (TF.js). */
  get scoresEachView(): boolean {
    return this.scorer !== null;
  }

  /** What scores page views: "session scorer (openblas ...)" / "session scorer (js)", or "tfjs batch forward". */
  get forward(): string {
    return this.scorer === null ? "tfjs batch forward" : `session scorer (${this.scorer.products})`;
  }

  purchasesOf(userId: string | undefined): readonly number[] {
    return userId === undefined ? [] : (this.purchases.get(userId) ?? []);
  }

  /**
   * The prediction after each row's newest page by the TF.js batch forward
   * (the reference): the mixture with the copy, the generator's softmax without.
   */
  mixtures(rows: readonly FeatureRow[]): RowMixture[] {
    if (rows.length === 0) return [];
    const x = this.pack(rows);
    const { dims, spec } = this.model;
    try {
      if (!spec.pointer) {
        const [flat] = download(() => [this.model.predict(x)]) as [Float32Array];
        return rows.map((r, i) => ({ slots: noSlots(dims.copySlots), slotProb: new Float32Array(0), generatorProb: flat.subarray(i * dims.items, (i + 1) * dims.items) }));
      }
      const [slotFlat, genFlat] = download(() => {
        const copy = this.model.outputs(x).copy;
        if (copy === undefined) throw new Error("the model has the pointer gene but gave no copy output");
        return [tf.exp(copy.logSlot), tf.exp(tf.add(copy.logGenerator, copy.logGate))];
      }) as [Float32Array, Float32Array];
      const C = dims.copySlots;
      return rows.map((r, i) => ({
        slots: r.slots,
        slotProb: slotFlat.subarray(i * C, i * C + r.slots.count),
        generatorProb: genFlat.subarray(i * dims.items, (i + 1) * dims.items),
      }));
    } finally {
      disposeInputs(x);
    }
  }

  /** The top `k` items of each row with their probabilities, best first, by the mixture's ranking rule. */
  top(rows: readonly FeatureRow[], k: number): ScoredItem[][] {
    // Ids after the model's items are items only the row's views named (viewIds).
    const named = (r: { items: Int32Array; scores: Float32Array }, row: FeatureRow | undefined) =>
      Array.from(r.items, (item, i) => ({ item: this.items[item] ?? row?.unknownItems[item - this.items.length] ?? String(item), score: r.scores[i] ?? 0 }));
    const scorer = this.scorer;
    // One row at a time: the scorer's buffers are reused, so each row is ranked before the next runs.
    if (scorer !== null) return rows.map((r) => named(scorer.rank(r, k), r));
    return this.mixtures(rows).map((m, i) => named(rankMixture(m, k), rows[i]));
  }

  popular(k: number): ScoredItem[] {
    if (this.popularity.length > 0) return this.popularity.slice(0, k).map(([i, share]) => ({ item: this.items[i] ?? String(i), score: share }));
    // No training counts recorded: the model's prior (no pages, no purchases) ranks the items.
    const { spec, dims } = this.model;
    const empty = emptyRow(spec.window, dims.historyBag, dims.purchaseBag, dims.copySlots);
    return this.top([empty], k)[0] ?? [];
  }

  private pack(rows: readonly FeatureRow[]): DrnnInputs {
    const { spec, dims } = this.model;
    const b = rows.length;
    const k = spec.window;
    const cat = <T extends Int32Array | Float32Array>(make: (n: number) => T, width: number, pick: (r: FeatureRow) => T): T => {
      const out = make(b * width);
      rows.forEach((r, i) => out.set(pick(r), i * width));
      return out;
    };
    const x: DrnnInputs = {
      window: tf.tensor2d(cat((n) => new Int32Array(n), k, (r) => r.window), [b, k], "int32"),
      dwell: tf.tensor2d(cat((n) => new Float32Array(n), k, (r) => r.dwell), [b, k]),
    };
    if (spec.history) {
      x.historyPages = tf.tensor2d(cat((n) => new Int32Array(n), dims.historyBag, (r) => r.historyPages), [b, dims.historyBag], "int32");
      x.historyWeights = tf.tensor2d(cat((n) => new Float32Array(n), dims.historyBag, (r) => r.historyWeights), [b, dims.historyBag]);
    }
    if (spec.fnnLayers > 0) {
      x.purchaseItems = tf.tensor2d(cat((n) => new Int32Array(n), dims.purchaseBag, (r) => r.purchaseItems), [b, dims.purchaseBag], "int32");
      x.purchaseMask = tf.tensor2d(cat((n) => new Float32Array(n), dims.purchaseBag, (r) => r.purchaseMask), [b, dims.purchaseBag]);
    }
    if (spec.pointer) x.copy = copyInputsOf(rows.map((r) => r.slots), dims);
    return x;
  }

  acquire(): void {
    this.refs++;
  }

  release(): void {
    this.refs--;
    if (this.retired && this.refs === 0) this.dispose();
  }

  /** Called when a newer version takes over: disposed now, or when the last batch using it ends. */
  retire(): void {
    this.retired = true;
    if (this.refs === 0) this.dispose();
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  private dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.model.dispose();
  }
}

/** A row with no pages and no purchases (the model's prior; with purchases filled in, the FNN's cold start). */
export function emptyRow(k: number, historyBag: number, purchaseBag: number, copySlots: number): FeatureRow {
  return {
    window: new Int32Array(k),
    dwell: new Float32Array(k),
    historyPages: new Int32Array(historyBag),
    historyWeights: new Float32Array(historyBag),
    slots: noSlots(copySlots),
    purchaseItems: new Int32Array(purchaseBag),
    purchaseMask: new Float32Array(purchaseBag),
    knownPages: 0,
    newestOov: false,
    unknownItems: [],
  };
}

/** Runs `run` in a tidy scope and copies its tensors' values out. */
function download(run: () => tf.Tensor[]): Float32Array[] {
  const tensors = tf.tidy(run);
  const values = tensors.map((t) => t.dataSync() as Float32Array);
  tf.dispose(tensors);
  return values;
}

/** Copy slots of a session that showed no item. */
function noSlots(copySlots: number): SessionItems {
  return { items: new Int32Array(copySlots).fill(-1), features: new Float32Array(copySlots * COPY_FEATURE_COUNT), count: 0 };
}

/** Item key -> the model's id (the first id of a key), and how many ids the model has. */
function itemIdsOf(items: readonly string[]): { itemIds: Map<string, number>; itemCount: number } {
  const itemIds = new Map<string, number>();
  items.forEach((item, id) => {
    if (!itemIds.has(item)) itemIds.set(item, id);
  });
  return { itemIds, itemCount: items.length };
}

/** The copy's popularity features; zeros when the artifact kept no training counts. */
function popularityOf(counts: Vocabularies["itemTrainCounts"] | undefined, items: number): ItemPopularity {
  return counts === undefined ? itemPopularity(new Int32Array(items), new Int32Array(items)) : itemPopularity(counts.buys, counts.views);
}

/** The TF.js-free scorer, or null (the TF.js forward serves) when asked for or when it cannot be built. */
function scorerFor(model: DrnnModel, forward: ServingForward): SessionScorer | null {
  if (forward === "tfjs") return null;
  try {
    return new SessionScorer(model.layer.roles(), model.spec, model.dims, { products: forward });
  } catch (err) {
    if (forward !== "auto") throw err;
    return null;
  }
}

/** A version directory's serving.json (empty cold-start facts when it has none). */
export function readExtras(dir: string): ServingExtras {
  const path = join(dir, SERVING_FILE);
  if (!existsSync(path)) return { kind: "drnn-serving", datasetHash: null, popularity: [], purchases: {} };
  const extras = JSON.parse(readFileSync(path, "utf8")) as ServingExtras;
  if (extras.kind !== "drnn-serving") throw new ServingArtifactError(`${path} is not a serving file`);
  return extras;
}
