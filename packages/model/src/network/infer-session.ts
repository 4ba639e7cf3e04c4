// The DRNN's prediction for ONE session after its newest page, without
// TF.js: the serving path's forward. It computes what drnnForward computes
// for the last state only (forward.ts computes the output layer for all k
// states): the history state, the k window states through the shared layers,
// the last state's output with its shortcut links, the FNN branch, the
// softmax, and the copy mixture on top (copy.ts: the slots' scores from their
// features and the top layer's last state, the gate), ranked by mergeMixture
// (rank-mixture.ts) like DrnnModel.rank. Plain Float32Array math on buffers allocated
// once, products through RowProducts (OpenBLAS or pure JS), so a page view
// allocates almost nothing and never waits on TF.js dispatch or its GC.
// The FNN's logits depend only on the purchase bag, so they are cached per bag.
import { COPY_FEATURE_COUNT, embeddingPage, type SessionItems } from "@drnn/data";
import type { ModelDims, ModelSpec } from "../spec.js";
import { activateInPlace } from "./activate-rows.js";
import { rankMixture, type RankedItems, type RowMixture } from "./rank-mixture.js";
import { rowProducts, type RowMatrix, type RowProducts, type RowProductsChoice } from "./row-products.js";
import type { DrnnWeights } from "./weights.js";

/**
 * One session's inputs as plain arrays (the batch tensors' row, see inputs.ts).
 * A page id after the model's pages (a page it never saw, whose item the copy
 * slots still hold) reads the out-of-vocabulary row (embeddingPage).
 */
export interface SessionRow {
  /** k page ids, oldest first, left-padded with 0. */
  window: ArrayLike<number>;
  /** The dwell feature of each window page (0 at padding). */
  dwell: ArrayLike<number>;
  historyPages: ArrayLike<number>;
  historyWeights: ArrayLike<number>;
  purchaseItems: ArrayLike<number>;
  purchaseMask: ArrayLike<number>;
  /** The session's own items with their features (@drnn/data's sessionItems; read with the copy only). */
  slots: SessionItems;
}

export interface SessionScorerOptions {
  products?: RowProductsChoice;
  /** Purchase bags whose FNN logits are kept (LRU; default 1024). */
  fnnCacheSize?: number;
}

interface Layer {
  size: number;
  /** Z_i; null for layer 1, whose input is the embedding row. */
  up: RowMatrix | null;
  recurrent: RowMatrix;
  bias: Float32Array;
}

/** The copy's weights (copy.ts): u [F], H [E_top, F], v [E_top], b. */
interface Copy {
  feature: Float32Array;
  context: RowMatrix;
  gate: Float32Array;
  gateBias: number;
}

interface Fnn {
  input: Float32Array;
  width: number;
  inputBias: Float32Array;
  hidden: { w: RowMatrix; b: Float32Array }[];
  out: RowMatrix;
  outBias: Float32Array;
}

/** Copies a tensor's values (weights are read once; the scorer never touches TF.js again). */
export type ReadWeights = (t: { dataSync(): ArrayLike<number> | Uint8Array[] }) => Float32Array;

const read: ReadWeights = (t) => Float32Array.from(t.dataSync() as ArrayLike<number>);

export class SessionScorer {
  readonly products: string;
  private readonly m: RowProducts;
  private readonly embed: Float32Array;
  private readonly dwellW: Float32Array;
  private readonly layers: Layer[];
  private readonly shortcuts: { layer: number; w: RowMatrix }[];
  private readonly outBias: Float32Array;
  private readonly fnn: Fnn | null;
  private readonly copy: Copy | null;
  private readonly fnnCache = new Map<string, Float32Array>();
  private readonly fnnCacheSize: number;
  /** Whether the last `logits` call's last state was live (its page not padding). */
  private live = false;
  // Buffers reused by every call: two states per layer (previous, current) and scratch rows.
  private prev: Float32Array[];
  private cur: Float32Array[];
  private readonly input: Float32Array;
  private readonly logitsBuf: Float32Array;
  private readonly probsBuf: Float32Array;
  private readonly slotBuf: Float32Array;
  private readonly generatorBuf: Float32Array;
  private readonly slotWeights: Float32Array;

  constructor(
    w: DrnnWeights,
    readonly spec: ModelSpec,
    readonly dims: ModelDims,
    options: SessionScorerOptions = {},
  ) {
    this.m = rowProducts(options.products ?? "auto");
    this.products = this.m.name;
    this.fnnCacheSize = options.fnnCacheSize ?? 1024;
    const sizes = spec.layers;
    this.embed = read(w.embed);
    this.dwellW = read(w.dwell);
    this.layers = w.layers.map((l, i) => {
      const size = sizes[i] ?? 0;
      const below = i === 0 ? 0 : (sizes[i - 1] ?? 0);
      return { size, up: l.up === undefined ? null : this.m.matrix(read(l.up), below, size), recurrent: this.m.matrix(read(l.recurrent), size, size), bias: read(l.bias) };
    });
    this.shortcuts = w.shortcuts.map((s) => ({ layer: s.layer, w: this.m.matrix(read(s.w), sizes[s.layer] ?? 0, dims.items) }));
    this.outBias = read(w.outBias);
    this.fnn = w.fnn === undefined ? null : this.fnnOf(w.fnn);
    const top = sizes[sizes.length - 1] ?? 0;
    this.copy =
      w.copy === undefined
        ? null
        : { feature: read(w.copy.feature), context: this.m.matrix(read(w.copy.context), top, COPY_FEATURE_COUNT), gate: read(w.copy.gate), gateBias: read(w.copy.gateBias)[0] ?? 0 };
    this.prev = sizes.map((s) => new Float32Array(s));
    this.cur = sizes.map((s) => new Float32Array(s));
    this.input = new Float32Array(sizes[0] ?? 0);
    this.logitsBuf = new Float32Array(dims.items);
    this.probsBuf = new Float32Array(dims.items);
    this.slotBuf = new Float32Array(dims.copySlots);
    this.generatorBuf = new Float32Array(dims.items);
    this.slotWeights = new Float32Array(COPY_FEATURE_COUNT);
  }

  private fnnOf(f: NonNullable<DrnnWeights["fnn"]>): Fnn {
    const width = this.spec.fnnNeurons;
    return {
      input: read(f.input),
      width,
      inputBias: read(f.inputBias),
      hidden: f.hidden.map((h) => ({ w: this.m.matrix(read(h.w), width, width), b: read(h.b) })),
      out: this.m.matrix(read(f.out), width, this.dims.items),
      outBias: read(f.outBias),
    };
  }

  /** The generator's last-state item logits. The returned array is reused by the next call: copy what you keep. */
  logits(row: SessionRow): Float32Array {
    const logits = this.logitsBuf;
    this.live = this.lastState(row);
    logits.set(this.outBias);
    if (this.live) for (const s of this.shortcuts) this.m.mul(this.cur[s.layer] as Float32Array, s.w, logits, true);
    if (this.fnn !== null) addInto(logits, this.fnnLogits(this.fnn, row));
    return logits;
  }

  /** The generator's softmax p_gen over its N items. Reused like `logits`. */
  probabilities(row: SessionRow): Float32Array {
    const l = this.logits(row);
    const p = this.probsBuf;
    let max = -Infinity;
    for (let i = 0; i < l.length; i++) if ((l[i] as number) > max) max = l[i] as number;
    let sum = 0;
    for (let i = 0; i < l.length; i++) {
      const e = Math.exp((l[i] as number) - max);
      p[i] = e;
      sum += e;
    }
    for (let i = 0; i < p.length; i++) p[i] = (p[i] as number) / sum;
    return p;
  }

  /**
   * The prediction after the newest page: with the copy, P(slot c) =
   * (1 - g) p_copy(c) + g p_gen(item_c) (the second term for generator items
   * only) and g p_gen(i) for the generator's other items; without it, p_gen.
   * Its arrays are reused by the next call, like `logits`.
   */
  mixture(row: SessionRow): RowMixture {
    const pGen = this.probabilities(row);
    const copy = this.copy;
    if (copy === null) return { slots: NO_SLOTS, slotProb: this.slotBuf.subarray(0, 0), generatorProb: pGen };
    // a: the top layer's last state, zeros when that state is padding (as the TF.js forward masks it).
    const a = this.live ? (this.cur[this.layers.length - 1] as Float32Array) : null;
    const u = this.slotWeights;
    u.set(copy.feature);
    let gateLogit = copy.gateBias;
    if (a !== null) {
      this.m.mul(a, copy.context, u, true);
      for (let j = 0; j < a.length; j++) gateLogit += (a[j] as number) * (copy.gate[j] as number);
    }
    const slots = row.slots;
    const count = Math.min(slots.count, this.slotBuf.length);
    // A session that showed no item leaves the copy nothing to point at: all mass goes to the generator.
    const g = count === 0 ? 1 : 1 / (1 + Math.exp(-gateLogit));
    const slotProb = this.slotBuf.subarray(0, count);
    copyDistribution(slots.features, u, slotProb);
    const n = this.dims.items;
    for (let c = 0; c < count; c++) {
      const item = slots.items[c] ?? -1;
      slotProb[c] = (1 - g) * (slotProb[c] as number) + (item >= 0 && item < n ? g * (pGen[item] as number) : 0);
    }
    const generatorProb = this.generatorBuf;
    for (let i = 0; i < n; i++) generatorProb[i] = g * (pGen[i] as number);
    return { slots, slotProb, generatorProb };
  }

  /** The `depth` best items after the newest page with their probabilities, by the mixture's ranking rule (mergeMixture). */
  rank(row: SessionRow, depth: number): RankedItems {
    return rankMixture(this.mixture(row), depth);
  }

  /**
   * Runs the history state and the k window states; the last state's
   * activations end in `this.cur`. False when the last state is all zero
   * (its page is padding, e.g. a cold-start row), as maskState makes it.
   */
  private lastState(row: SessionRow): boolean {
    let live = false;
    if (this.spec.history && this.historyInput(row)) {
      this.step(false);
      live = true;
    }
    const e1 = this.input.length;
    for (let t = 0; t < this.spec.window; t++) {
      const page = row.window[t] ?? 0;
      // A padding state is zeroed (maskState), so the next state sees no previous one.
      if (page === 0) {
        live = false;
        continue;
      }
      const at = this.rowOffset(embeddingPage(page, this.dims.pages), this.dims.pages, e1);
      const d = row.dwell[t] ?? 0;
      for (let j = 0; j < e1; j++) this.input[j] = (this.embed[at + j] as number) + d * (this.dwellW[j] as number);
      this.step(live);
      live = true;
    }
    return live;
  }

  /** Z_1 V_bar into `input` (the eps-weighted embedding rows); false when the history is empty (the state stays zero). */
  private historyInput(row: SessionRow): boolean {
    const e1 = this.input.length;
    let total = 0;
    this.input.fill(0);
    for (let s = 0; s < row.historyWeights.length; s++) {
      const eps = row.historyWeights[s] ?? 0;
      total += eps;
      if (eps === 0) continue;
      const at = this.rowOffset(embeddingPage(row.historyPages[s] ?? 0, this.dims.pages), this.dims.pages, e1);
      for (let j = 0; j < e1; j++) this.input[j] = (this.input[j] as number) + eps * (this.embed[at + j] as number);
    }
    return total > 0;
  }

  /** One state through every layer: a_i(t) = f(Z_i a_{i-1}(t) + W_i a_i(t-1) + b_i), with a_i(t-1) in `prev`. */
  private step(hasPrevious: boolean): void {
    [this.prev, this.cur] = [this.cur, this.prev];
    let below = this.input;
    this.layers.forEach((l, i) => {
      const z = this.cur[i] as Float32Array;
      if (l.up === null) z.set(below.subarray(0, l.size));
      else this.m.mul(below, l.up, z, false);
      if (hasPrevious) this.m.mul(this.prev[i] as Float32Array, l.recurrent, z, true);
      addInto(z, l.bias);
      activateInPlace(z, this.spec.activation);
      below = z;
    });
  }

  /** The FNN branch's logits for this row's purchase bag (its output bias included), cached per bag. */
  private fnnLogits(f: Fnn, row: SessionRow): Float32Array {
    const key = bagKey(row);
    const hit = this.fnnCache.get(key);
    if (hit !== undefined) {
      // Refresh its place in the LRU order.
      this.fnnCache.delete(key);
      this.fnnCache.set(key, hit);
      return hit;
    }
    const out = this.computeFnn(f, row);
    this.fnnCache.set(key, out);
    if (this.fnnCache.size > this.fnnCacheSize) {
      const oldest = this.fnnCache.keys().next();
      if (oldest.done !== true) this.fnnCache.delete(oldest.value);
    }
    return out;
  }

  private computeFnn(f: Fnn, row: SessionRow): Float32Array {
    let a = new Float32Array(f.width);
    for (let s = 0; s < row.purchaseItems.length; s++) {
      const mask = row.purchaseMask[s] ?? 0;
      if (mask === 0) continue;
      const at = this.rowOffset(row.purchaseItems[s] ?? 0, this.dims.items, f.width);
      for (let j = 0; j < f.width; j++) a[j] = (a[j] as number) + mask * (f.input[at + j] as number);
    }
    addInto(a, f.inputBias);
    activateInPlace(a, this.spec.activation);
    for (const h of f.hidden) {
      const next = new Float32Array(f.width);
      this.m.mul(a, h.w, next, false);
      addInto(next, h.b);
      activateInPlace(next, this.spec.activation);
      a = next;
    }
    const out = Float32Array.from(f.outBias);
    this.m.mul(a, f.out, out, true);
    return out;
  }

  private rowOffset(id: number, count: number, width: number): number {
    if (!Number.isInteger(id) || id < 0 || id >= count) throw new RangeError(`id ${id} is outside [0, ${count})`);
    return id * width;
  }
}

const NO_SLOTS: SessionItems = { items: new Int32Array(0), features: new Float32Array(0), count: 0 };

/** p_copy: the softmax of f_c . u over the slots in `out` (its length is the slots in use). */
function copyDistribution(features: Float32Array, u: Float32Array, out: Float32Array): void {
  const f = u.length;
  let max = -Infinity;
  for (let c = 0; c < out.length; c++) {
    let score = 0;
    for (let j = 0; j < f; j++) score += (features[c * f + j] as number) * (u[j] as number);
    out[c] = score;
    if (score > max) max = score;
  }
  let sum = 0;
  for (let c = 0; c < out.length; c++) {
    const e = Math.exp((out[c] as number) - max);
    out[c] = e;
    sum += e;
  }
  for (let c = 0; c < out.length; c++) out[c] = (out[c] as number) / sum;
}

function addInto(y: Float32Array, x: Float32Array): void {
  for (let i = 0; i < y.length; i++) y[i] = (y[i] as number) + (x[i] as number);
}

/** The purchase bag as a map key: the (item, mask) pairs that count. */
function bagKey(row: SessionRow): string {
  let key = "";
  for (let s = 0; s < row.purchaseItems.length; s++) {
    const mask = row.purchaseMask[s] ?? 0;
    if (mask !== 0) key += `${row.purchaseItems[s] ?? 0}:${mask},`;
  }
  return key;
}
