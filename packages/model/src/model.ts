// A DRNN built from a chromosome: the TF.js LayersModel plus what it was
// built from. Prediction and the Ranker for the metrics live here.
import * as tf from "@tensorflow/tfjs";
import { DEFAULT_COPY_SLOTS, type Dataset, type SessionItems, type SplitName } from "@drnn/data";
import { DatasetMismatchError } from "./errors.js";
import { BatchFeeder, type BatchTargets } from "./feed/batch.js";
import { buildNetwork, drnnLayerOf } from "./network/build.js";
import { copyMixture, mergeMixture, mixtureLoss, type CopyOutput } from "./network/copy.js";
import type { DrnnLayer } from "./network/drnn-layer.js";
import { drnnForwardWithTop, lastState, type ForwardOptions } from "./network/forward.js";
import type { DrnnInputs } from "./network/inputs.js";
import { TOP_N, type Ranker } from "./metrics/index.js";
import { readValues } from "./webgpu.js";
import { DEFAULT_HISTORY_BAG, DEFAULT_PURCHASE_BAG, specFromChromosome, type ChromosomeInput, type ModelDims, type ModelSpec } from "./spec.js";
import { predictionLoss, trainingLoss } from "./train/loss.js";

export interface ModelOutputs {
  /** The generator's logits of every window state, [B, k, N]. */
  logits: tf.Tensor3D;
  /** The mixture after the newest page (pointer gene). */
  copy?: CopyOutput;
}

/** The model's sizes for a prepared dataset. */
export function dimsFor(d: Pick<Dataset, "manifest">, bags: Partial<Pick<ModelDims, "historyBag" | "purchaseBag">> = {}): ModelDims {
  return {
    pages: d.manifest.pageVocabulary,
    items: d.manifest.itemVocabulary,
    historyBag: bags.historyBag ?? DEFAULT_HISTORY_BAG,
    purchaseBag: bags.purchaseBag ?? DEFAULT_PURCHASE_BAG,
    copySlots: DEFAULT_COPY_SLOTS,
  };
}

export class DrnnModel {
  readonly layer: DrnnLayer;

  constructor(
    readonly network: tf.LayersModel,
    readonly chromosome: ChromosomeInput,
    readonly spec: ModelSpec,
    readonly dims: ModelDims,
  ) {
    this.layer = drnnLayerOf(network);
  }

  static create(chromosome: ChromosomeInput, dims: ModelDims, seed: number): DrnnModel {
    const spec = specFromChromosome(chromosome);
    return new DrnnModel(buildNetwork(spec, dims, seed).model, chromosome, spec, dims);
  }

  /** The generator's item logits of every window state, [B, k, N]. */
  logits(x: DrnnInputs, opts: ForwardOptions = { training: false }): tf.Tensor3D {
    return this.outputs(x, opts).logits;
  }

  outputs(x: DrnnInputs, opts: ForwardOptions = { training: false }): ModelOutputs {
    const w = this.layer.roles();
    const { logits, top } = drnnForwardWithTop(w, x, this.spec, this.dims, opts);
    if (w.copy === undefined || x.copy === undefined) return { logits };
    return { logits, copy: copyMixture(w.copy, top, lastState(logits), x.copy) };
  }

  /** The training loss of a batch: every state's generator loss, the newest state's mixture (loss.ts). */
  loss(x: DrnnInputs, t: BatchTargets, opts: ForwardOptions): tf.Scalar {
    const out = this.outputs(x, opts);
    return trainingLoss(out.logits, x.window, t, this.spec.loss, out.copy);
  }

  /** The newest state's loss per sample and which samples it counts, [B] each (validation). */
  predictionLoss(x: DrnnInputs, t: BatchTargets): { loss: tf.Tensor1D; valid: tf.Tensor1D } {
    const out = this.outputs(x);
    if (out.copy !== undefined && t.copy !== undefined) return { loss: mixtureLoss(out.copy, t.copy), valid: t.copy.valid };
    return { loss: predictionLoss(lastState(out.logits), t, this.spec.loss), valid: t.valid };
  }

  /** The generator's item probabilities after the newest page, [B, N] (without the copy's mixture). */
  predict(x: DrnnInputs): tf.Tensor2D {
    return tf.tidy(() => tf.softmax(lastState(this.logits(x))));
  }

  /** The `depth` best items of each row after its newest page, best first (the mixture's rule with the copy). */
  rank(x: DrnnInputs, slots: readonly SessionItems[] | undefined, depth: number): Int32Array[] {
    const tensors = this.rankTensors(x, slots, depth);
    const values = tensors.map((t) => t.dataSync() as Float32Array | Int32Array);
    tf.dispose(tensors);
    return this.ranked(values, x.window.shape[0], slots, depth);
  }

  /** rank() with the values read asynchronously, as WebGPU needs; the same lists. */
  async rankAsync(x: DrnnInputs, slots: readonly SessionItems[] | undefined, depth: number): Promise<Int32Array[]> {
    const tensors = this.rankTensors(x, slots, depth);
    const values = await Promise.all(tensors.map(readValues)).finally(() => tf.dispose(tensors));
    return this.ranked(values as (Float32Array | Int32Array)[], x.window.shape[0], slots, depth);
  }

  /** The generator's top ids, or with the copy the slots' probabilities and the generator's best ids with g * p_gen. */
  private rankTensors(x: DrnnInputs, slots: readonly SessionItems[] | undefined, depth: number): tf.Tensor[] {
    if (!this.spec.pointer || slots === undefined) return [tf.tidy(() => tf.topk(lastState(this.logits(x)), Math.min(depth, this.dims.items)).indices)];
    return tf.tidy(() => {
      const copy = this.outputs(x).copy as CopyOutput;
      const gen = tf.topk(copy.logGenerator, Math.min(depth + this.dims.copySlots, this.dims.items));
      return [tf.exp(copy.logSlot), gen.indices, tf.exp(tf.add(gen.values, copy.logGate))];
    });
  }

  private ranked(values: (Float32Array | Int32Array)[], b: number, slots: readonly SessionItems[] | undefined, depth: number): Int32Array[] {
    if (values.length === 1) return Array.from({ length: b }, (_, r) => rowOf(values[0] as Int32Array, r, b).slice());
    const [slotProb, genItems, genProb] = values as [Float32Array, Int32Array, Float32Array];
    return (slots ?? []).map((slot, r) =>
      mergeMixture({ items: slot.items, prob: rowOf(slotProb, r, b), count: slot.count }, { items: rowOf(genItems, r, b), prob: rowOf(genProb, r, b) }, depth),
    );
  }

  feeder(d: Dataset): BatchFeeder {
    if (d.manifest.pageVocabulary !== this.dims.pages || d.manifest.itemVocabulary !== this.dims.items) {
      throw new DatasetMismatchError(
        `the model has ${this.dims.pages} pages and ${this.dims.items} items, the dataset ${d.manifest.pageVocabulary} and ${d.manifest.itemVocabulary}`,
      );
    }
    return new BatchFeeder(d, this.spec, this.dims);
  }

  /** The metrics' Ranker: top-20 items for dataset samples, best first, in batches so memory stays bounded. */
  ranker(d: Dataset, batchSize = 512): Ranker {
    const feeder = this.feeder(d);
    return {
      rank: (samples) => {
        const out: Int32Array[] = [];
        for (let from = 0; from < samples.length; from += batchSize) {
          const part = samples.subarray(from, from + batchSize);
          const slots = this.spec.pointer ? feeder.slots(part) : undefined;
          const x = feeder.inputs(part, slots);
          out.push(...this.rank(x, slots, TOP_N));
          disposeInputs(x);
        }
        return out;
      },
    };
  }

  /** ranker() for one split with its top-20 lists read asynchronously first, as WebGPU needs; the same lists. */
  async splitRanker(d: Dataset, split: SplitName, batchSize = 512): Promise<Ranker> {
    const feeder = this.feeder(d);
    const [first, end] = d.manifest.splits[split].samples;
    const lists: Int32Array[] = [];
    for (let from = first; from < end; from += batchSize) {
      const part = Int32Array.from({ length: Math.min(batchSize, end - from) }, (_, i) => from + i);
      const slots = this.spec.pointer ? feeder.slots(part) : undefined;
      const x = feeder.inputs(part, slots);
      lists.push(...(await this.rankAsync(x, slots, TOP_N).finally(() => disposeInputs(x))));
    }
    return { rank: (samples) => Array.from(samples, (s) => lists[s - first] ?? new Int32Array(0)) };
  }

  dispose(): void {
    this.network.dispose();
  }
}

/** Every tensor of a batch's inputs, the copy slots included. */
export function disposeInputs(x: DrnnInputs): void {
  const { copy, ...rest } = x;
  tf.dispose(Object.values(rest));
  if (copy !== undefined) tf.dispose(Object.values(copy));
}

/** Row r of a flat [rows, width] array (a view). */
function rowOf<T extends Int32Array | Float32Array>(flat: T, r: number, rows: number): T {
  const width = flat.length / Math.max(1, rows);
  return flat.subarray(r * width, (r + 1) * width) as T;
}
