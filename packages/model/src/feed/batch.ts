// Dataset rows -> model input tensors and set targets for a batch of sample
// indices. Everything here is data, not weights: no gradient flows through it.
import * as tf from "@tensorflow/tfjs";
import { COPY_FEATURE_COUNT, dwellFeature, embeddingPage, itemPopularity, knownDwell, samplePrefixPages, sessionItems, type Dataset, type ItemPopularity, type SessionItems } from "@drnn/data";
import type { CopyInputs, CopyTargets } from "../network/copy.js";
import type { DrnnInputs } from "../network/inputs.js";
import type { LossName, ModelDims, ModelSpec } from "../spec.js";
import { WindowReader } from "./windows.js";

export { dwellFeature };

export interface BatchTargets {
  /** [B, N]: softmax spreads 1/|I| over the bought generator items; sigmoid marks each with 1. */
  target: tf.Tensor2D;
  /** [B]: 0 where none of the bought items is a generator item (no target for the generator). */
  valid: tf.Tensor1D;
  /** The copy mixture's targets (pointer gene). */
  copy?: CopyTargets;
}

export class BatchFeeder {
  private readonly windows: WindowReader;
  private readonly popularity: ItemPopularity;

  constructor(
    private readonly d: Dataset,
    private readonly spec: ModelSpec,
    private readonly dims: ModelDims,
  ) {
    this.windows = new WindowReader(d, spec.window);
    this.popularity = itemPopularity(d.columns.itemTrainBuys, d.columns.itemTrainViews);
  }

  /** The bought items I of a sample (every id; the generator covers those below N). */
  boughtItems(s: number): Int32Array {
    const c = this.d.columns;
    const session = c.sampleSession[s] ?? 0;
    return Int32Array.from(new Set(c.targetItems.subarray(c.targetOffsets[session] ?? 0, c.targetOffsets[session + 1] ?? 0)));
  }

  /** The bought items I of a sample, in the generator's items only. */
  targetSet(s: number): Int32Array {
    return this.boughtItems(s).filter((i) => i >= 0 && i < this.dims.items);
  }

  /** The copy slots of each sample: the items its prefix showed, with their features so far. */
  slots(samples: ArrayLike<number>): SessionItems[] {
    const pageItems = this.d.columns.pageItems;
    return Array.from(samples, (s) => {
      const { pages, sessionDwell } = samplePrefixPages(this.d, s);
      const items = Array.from(pages, (p) => pageItems[p] ?? -1);
      return sessionItems(items, knownDwell(sessionDwell, pages.length), this.popularity, this.dims.copySlots);
    });
  }

  /** The network's inputs; a page id after the model's pages (unknown to it) goes in as the out-of-vocabulary page. */
  inputs(samples: ArrayLike<number>, slots?: readonly SessionItems[]): DrnnInputs {
    const b = samples.length;
    const pageCount = this.dims.pages;
    const k = this.spec.window;
    const window = new Int32Array(b * k);
    const dwell = new Float32Array(b * k);
    const H = this.dims.historyBag;
    const histPages = new Int32Array(b * H);
    const histWeights = new Float32Array(b * H);
    for (let r = 0; r < b; r++) {
      const view = this.windows.read(samples[r] ?? 0);
      for (let t = 0; t < k; t++) {
        const page = view.pages[t] ?? 0;
        window[r * k + t] = embeddingPage(page, pageCount);
        dwell[r * k + t] = page === 0 ? 0 : dwellFeature(view.dwell[t] ?? 0);
      }
      heaviest(view.history.pages, view.history.weights, H).forEach((e, slot) => {
        histPages[r * H + slot] = embeddingPage(e.page, pageCount);
        histWeights[r * H + slot] = e.weight;
      });
    }
    const x: DrnnInputs = { window: tf.tensor2d(window, [b, k], "int32"), dwell: tf.tensor2d(dwell, [b, k]) };
    if (this.spec.history) {
      x.historyPages = tf.tensor2d(histPages, [b, H], "int32");
      x.historyWeights = tf.tensor2d(histWeights, [b, H]);
    }
    if (this.spec.fnnLayers > 0) Object.assign(x, this.purchases(samples));
    if (this.spec.pointer) x.copy = copyInputsOf(slots ?? this.slots(samples), this.dims);
    return x;
  }

  /** The FNN input: the user's latest purchases before this session, as a padded bag. */
  private purchases(samples: ArrayLike<number>): { purchaseItems: tf.Tensor2D; purchaseMask: tf.Tensor2D } {
    const c = this.d.columns;
    const P = this.dims.purchaseBag;
    const b = samples.length;
    const items = new Int32Array(b * P);
    const mask = new Float32Array(b * P);
    for (let r = 0; r < b; r++) {
      const session = c.sampleSession[samples[r] ?? 0] ?? 0;
      const to = c.purchaseOffsets[session + 1] ?? 0;
      const from = Math.max(c.purchaseOffsets[session] ?? 0, to - P);
      for (let i = from, slot = 0; i < to; i++) {
        const item = c.purchaseItems[i] ?? -1;
        if (item < 0 || item >= this.dims.items) continue;
        items[r * P + slot] = item;
        mask[r * P + slot++] = 1;
      }
    }
    return { purchaseItems: tf.tensor2d(items, [b, P], "int32"), purchaseMask: tf.tensor2d(mask, [b, P]) };
  }

  /** I_r, the bought items the mixture can rank (shown by the session, or generator items), split by where they are. */
  private copyTargets(samples: ArrayLike<number>, slots: readonly SessionItems[]): CopyTargets {
    const b = samples.length;
    const C = this.dims.copySlots;
    const n = this.dims.items;
    const perRow = Array.from(samples, (s, r) => {
      const inSlots = new Map<number, number>();
      const slot = slots[r];
      for (let c = 0; c < (slot?.count ?? 0); c++) inSlots.set(slot?.items[c] ?? -1, c);
      const bought = this.boughtItems(s);
      return { shown: bought.filter((i) => inSlots.has(i)).map((i) => inSlots.get(i) ?? 0), generator: bought.filter((i) => !inSlots.has(i) && i >= 0 && i < n) };
    });
    const width = Math.max(1, ...perRow.map((p) => p.generator.length));
    const slot = new Float32Array(b * C);
    const generatorIndex = new Int32Array(b * width);
    const generatorWeight = new Float32Array(b * width);
    const valid = new Float32Array(b);
    perRow.forEach((p, r) => {
      const total = p.shown.length + p.generator.length;
      if (total === 0) return;
      valid[r] = 1;
      for (const c of p.shown) slot[r * C + c] = 1 / total;
      p.generator.forEach((item, t) => {
        generatorIndex[r * width + t] = r * n + item;
        generatorWeight[r * width + t] = 1 / total;
      });
    });
    return {
      slot: tf.tensor2d(slot, [b, C]),
      generatorIndex: tf.tensor1d(generatorIndex, "int32"),
      generatorWeight: tf.tensor2d(generatorWeight, [b, width]),
      valid: tf.tensor1d(valid),
    };
  }

  targets(samples: ArrayLike<number>, loss: LossName, slots?: readonly SessionItems[]): BatchTargets {
    const b = samples.length;
    const n = this.dims.items;
    const target = new Float32Array(b * n);
    const valid = new Float32Array(b);
    for (let r = 0; r < b; r++) {
      const set = this.targetSet(samples[r] ?? 0);
      if (set.length === 0) continue;
      valid[r] = 1;
      for (const item of set) target[r * n + item] = loss === "softmax" ? 1 / set.length : 1;
    }
    const out: BatchTargets = { target: tf.tensor2d(target, [b, n]), valid: tf.tensor1d(valid) };
    if (this.spec.pointer) out.copy = this.copyTargets(samples, slots ?? this.slots(samples));
    return out;
  }
}

/** The copy slots of a batch as tensors (the feeder's and serving's TF.js path). */
export function copyInputsOf(slots: readonly SessionItems[], dims: Pick<ModelDims, "copySlots" | "items">): CopyInputs {
  const b = slots.length;
  const C = dims.copySlots;
  const n = dims.items;
  const features = new Float32Array(b * C * COPY_FEATURE_COUNT);
  const mask = new Float32Array(b * C);
  const inGenerator = new Float32Array(b * C);
  const generatorIndex = new Int32Array(b * C);
  slots.forEach((slot, r) => {
    features.set(slot.features, r * C * COPY_FEATURE_COUNT);
    for (let c = 0; c < slot.count; c++) {
      const item = slot.items[c] ?? -1;
      mask[r * C + c] = 1;
      if (item >= 0 && item < n) {
        inGenerator[r * C + c] = 1;
        generatorIndex[r * C + c] = r * n + item;
      }
    }
  });
  return {
    features: tf.tensor3d(features, [b, C, COPY_FEATURE_COUNT]),
    mask: tf.tensor2d(mask, [b, C]),
    inGenerator: tf.tensor2d(inGenerator, [b, C]),
    generatorIndex: tf.tensor1d(generatorIndex, "int32"),
  };
}

/** The `cap` heaviest (page, weight) entries: the newest pages carry eps near 1, the oldest the least. */
function heaviest(pages: Int32Array, weights: Float32Array, cap: number): { page: number; weight: number }[] {
  const all = Array.from(pages, (page, i) => ({ page, weight: weights[i] ?? 0 }));
  if (all.length <= cap) return all;
  return all.sort((a, b) => b.weight - a.weight).slice(0, cap);
}
