// Dataset rows -> model input tensors and set targets for a batch of sample
// indices. Everything here is data, not weights: no gradient flows through it.
import * as tf from "@tensorflow/tfjs";
import type { Dataset } from "@drnn/data";
import type { DrnnInputs } from "../network/inputs.js";
import type { LossName, ModelDims, ModelSpec } from "../spec.js";
import { WindowReader } from "./windows.js";

/** Dwell seconds -> [0, 1]: log-scaled against the data package's 30-minute cap, since dwell is heavy-tailed. */
export function dwellFeature(seconds: number): number {
  return Math.log1p(Math.max(0, seconds)) / Math.log1p(1800);
}

export interface BatchTargets {
  /** [B, N]: softmax spreads 1/|I| over the bought items I; sigmoid marks each with 1. */
  target: tf.Tensor2D;
  /** [B]: 0 where none of the bought items is in the item vocabulary (no learnable target). */
  valid: tf.Tensor1D;
}

export class BatchFeeder {
  private readonly windows: WindowReader;

  constructor(
    private readonly d: Dataset,
    private readonly spec: ModelSpec,
    private readonly dims: ModelDims,
  ) {
    this.windows = new WindowReader(d, spec.window);
  }

  /** The bought items I of a sample, in the item vocabulary only. */
  targetSet(s: number): Int32Array {
    const c = this.d.columns;
    const session = c.sampleSession[s] ?? 0;
    const all = c.targetItems.subarray(c.targetOffsets[session] ?? 0, c.targetOffsets[session + 1] ?? 0);
    return Int32Array.from(new Set(all.filter((i) => i >= 0 && i < this.dims.items)));
  }

  inputs(samples: ArrayLike<number>): DrnnInputs {
    const b = samples.length;
    const k = this.spec.window;
    const window = new Int32Array(b * k);
    const dwell = new Float32Array(b * k);
    const H = this.dims.historyBag;
    const histPages = new Int32Array(b * H);
    const histWeights = new Float32Array(b * H);
    const pageItems = this.d.columns.pageItems;
    const windowItems = new Int32Array(b * k).fill(-1);
    const itemMass = this.spec.pointer && this.spec.history ? new Float32Array(b * this.dims.items) : undefined;
    for (let r = 0; r < b; r++) {
      const view = this.windows.read(samples[r] ?? 0);
      for (let t = 0; t < k; t++) {
        const page = view.pages[t] ?? 0;
        window[r * k + t] = page;
        dwell[r * k + t] = page === 0 ? 0 : dwellFeature(view.dwell[t] ?? 0);
        windowItems[r * k + t] = page === 0 ? -1 : (pageItems[page] ?? -1);
      }
      heaviest(view.history.pages, view.history.weights, H).forEach((e, slot) => {
        histPages[r * H + slot] = e.page;
        histWeights[r * H + slot] = e.weight;
      });
      if (itemMass !== undefined) {
        view.history.pages.forEach((page, i) => {
          const item = pageItems[page] ?? -1;
          if (item >= 0 && item < this.dims.items) itemMass[r * this.dims.items + item] = (itemMass[r * this.dims.items + item] ?? 0) + (view.history.weights[i] ?? 0);
        });
      }
    }
    const x: DrnnInputs = { window: tf.tensor2d(window, [b, k], "int32"), dwell: tf.tensor2d(dwell, [b, k]) };
    if (this.spec.history) {
      x.historyPages = tf.tensor2d(histPages, [b, H], "int32");
      x.historyWeights = tf.tensor2d(histWeights, [b, H]);
    }
    if (this.spec.fnnLayers > 0) Object.assign(x, this.purchases(samples));
    if (this.spec.pointer) {
      x.windowItems = tf.tensor2d(windowItems, [b, k], "int32");
      if (itemMass !== undefined) x.historyItemMass = tf.tensor2d(itemMass, [b, this.dims.items]);
    }
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

  targets(samples: ArrayLike<number>, loss: LossName): BatchTargets {
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
    return { target: tf.tensor2d(target, [b, n]), valid: tf.tensor1d(valid) };
  }
}

/** The `cap` heaviest (page, weight) entries: the newest pages carry eps near 1, the oldest the least. */
function heaviest(pages: Int32Array, weights: Float32Array, cap: number): { page: number; weight: number }[] {
  const all = Array.from(pages, (page, i) => ({ page, weight: weights[i] ?? 0 }));
  if (all.length <= cap) return all;
  return all.sort((a, b) => b.weight - a.weight).slice(0, cap);
}
