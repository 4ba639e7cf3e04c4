// One registered model version, loaded for serving: the DRNN, its
// vocabularies, and the cold-start facts written at promotion (item
// popularity in training, each known user's purchase history). It counts the
// batches using it, so a hot swap disposes the old weights only once the
// last batch that picked it up has finished. Page views are scored by the
// model package's SessionScorer (last state only, no TF.js, weights copied
// once at load); the TF.js batch forward stays as the reference (`scores`)
// and as the fallback when the scorer cannot be built.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { loadModel, SessionScorer, type DrnnInputs, type DrnnModel, type ModelMeta, type RowProductsChoice } from "@drnn/model";
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
    const vocab = { pageIds, pageItems: Int32Array.from(v.pageItems) };
    return new ServingModel(identity, loaded.model, loaded.meta, vocab, v.items, extras.popularity, new Map(Object.entries(extras.purchases)), options);
  }

  /** For tests and benchmarks: a model built in memory. */
  static fromModel(
    identity: ModelIdentity,
    model: DrnnModel,
    vocab: { pages: readonly string[]; items: readonly string[]; pageItems: ArrayLike<number> },
    extras: Partial<ServingExtras> = {},
    options: ServingModelOptions = {},
  ): ServingModel {
    const pageIds = new Map<string, number>();
    vocab.pages.forEach((p, id) => {
      if (id >= 2 && !pageIds.has(p)) pageIds.set(p, id);
    });
    const meta: ModelMeta = { kind: "drnn-model", version: 1, chromosome: model.chromosome, spec: model.spec, dims: model.dims };
    const served = { pageIds, pageItems: Int32Array.from(vocab.pageItems) };
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

  /** Item probabilities (the last state's softmax) for each row, [rows][N], by the TF.js batch forward (the reference). */
  scores(rows: readonly FeatureRow[]): Float32Array[] {
    if (rows.length === 0) return [];
    const probs = tf.tidy(() => this.model.predict(this.pack(rows)));
    const flat = probs.dataSync() as Float32Array;
    probs.dispose();
    const n = this.model.dims.items;
    return rows.map((_, r) => flat.subarray(r * n, (r + 1) * n));
  }

  /** The top `k` items of each row with their probabilities, best first. */
  top(rows: readonly FeatureRow[], k: number): ScoredItem[][] {
    const depth = Math.min(k, this.model.dims.items);
    const named = (p: Float32Array) => topOf(p, depth).map((i) => ({ item: this.items[i] ?? String(i), score: p[i] ?? 0 }));
    const scorer = this.scorer;
    // One row at a time: the scorer's output buffer is reused, so each row is ranked before the next runs.
    if (scorer !== null) return rows.map((r) => named(scorer.probabilities(r)));
    return this.scores(rows).map(named);
  }

  popular(k: number): ScoredItem[] {
    if (this.popularity.length > 0) return this.popularity.slice(0, k).map(([i, share]) => ({ item: this.items[i] ?? String(i), score: share }));
    // No training counts recorded: the model's prior (no pages, no purchases) ranks the items.
    const empty = emptyRow(this.model.spec.window, this.model.dims.historyBag, this.model.dims.purchaseBag);
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
    if (spec.pointer) {
      x.windowItems = tf.tensor2d(cat((n) => new Int32Array(n), k, (r) => r.windowItems), [b, k], "int32");
      if (spec.history) {
        const mass = new Float32Array(b * dims.items);
        rows.forEach((r, i) => r.historyItems.forEach((m, item) => (mass[i * dims.items + item] = m)));
        x.historyItemMass = tf.tensor2d(mass, [b, dims.items]);
      }
    }
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
export function emptyRow(k: number, historyBag: number, purchaseBag: number): FeatureRow {
  return {
    window: new Int32Array(k),
    dwell: new Float32Array(k),
    historyPages: new Int32Array(historyBag),
    historyWeights: new Float32Array(historyBag),
    windowItems: new Int32Array(k).fill(-1),
    historyItems: new Map(),
    purchaseItems: new Int32Array(purchaseBag),
    purchaseMask: new Float32Array(purchaseBag),
    knownPages: 0,
    newestOov: false,
  };
}

/**
 * Indices of the `k` largest values, largest first (ties: lower index first).
 * O(N k) with small k; insertion into one k-long array (no splice), because it
 * runs on every page view and its garbage lengthens the GC pauses in the tail.
 */
export function topOf(values: ArrayLike<number>, k: number): number[] {
  const depth = Math.max(0, Math.min(k, values.length));
  const idx = new Array<number>(depth);
  const best = new Float64Array(depth);
  let filled = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? -Infinity;
    if (filled === depth && (depth === 0 || v <= (best[depth - 1] as number))) continue;
    let at = filled < depth ? filled++ : depth - 1;
    // Shift the smaller ones down one place; equal values keep the earlier index first.
    while (at > 0 && (best[at - 1] as number) < v) {
      best[at] = best[at - 1] as number;
      idx[at] = idx[at - 1] as number;
      at--;
    }
    best[at] = v;
    idx[at] = i;
  }
  return idx;
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

function readExtras(dir: string): ServingExtras {
  const path = join(dir, SERVING_FILE);
  if (!existsSync(path)) return { kind: "drnn-serving", datasetHash: null, popularity: [], purchases: {} };
  const extras = JSON.parse(readFileSync(path, "utf8")) as ServingExtras;
  if (extras.kind !== "drnn-serving") throw new ServingArtifactError(`${path} is not a serving file`);
  return extras;
}
