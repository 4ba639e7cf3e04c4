// A DRNN built from a chromosome: the TF.js LayersModel plus what it was
// built from. Prediction and the Ranker for the metrics live here.
import * as tf from "@tensorflow/tfjs";
import type { Dataset, SplitName } from "@drnn/data";
import { DatasetMismatchError } from "./errors.js";
import { BatchFeeder } from "./feed/batch.js";
import { buildNetwork, drnnLayerOf } from "./network/build.js";
import type { DrnnLayer } from "./network/drnn-layer.js";
import { drnnForward, lastState, type ForwardOptions } from "./network/forward.js";
import type { DrnnInputs } from "./network/inputs.js";
import { TOP_N, type Ranker } from "./metrics/index.js";
import { readValues } from "./webgpu.js";
import { DEFAULT_HISTORY_BAG, DEFAULT_PURCHASE_BAG, specFromChromosome, type ChromosomeInput, type ModelDims, type ModelSpec } from "./spec.js";


/** The model's sizes for a prepared dataset. */
export function dimsFor(d: Pick<Dataset, "manifest">, bags: Partial<Pick<ModelDims, "historyBag" | "purchaseBag">> = {}): ModelDims {
  return {
    pages: d.manifest.pageVocabulary,
    items: d.manifest.itemVocabulary,
    historyBag: bags.historyBag ?? DEFAULT_HISTORY_BAG,
    purchaseBag: bags.purchaseBag ?? DEFAULT_PURCHASE_BAG,
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

  /** Item logits of every window state, [B, k, N]. */
  logits(x: DrnnInputs, opts: ForwardOptions = { training: false }): tf.Tensor3D {
    return drnnForward(this.layer.roles(), x, this.spec, this.dims, opts);
  }

  /** The last state's item probabilities, [B, N]. */
  predict(x: DrnnInputs): tf.Tensor2D {
    return tf.tidy(() => tf.softmax(lastState(this.logits(x))));
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
          const ids = this.topIds(feeder, part);
          const flat = ids.dataSync() as Int32Array;
          ids.dispose();
          out.push(...this.rows(flat, part.length));
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
      const ids = this.topIds(feeder, part);
      const flat = (await readValues(ids).finally(() => ids.dispose())) as Int32Array;
      lists.push(...this.rows(flat, part.length));
    }
    return { rank: (samples) => Array.from(samples, (s) => lists[s - first] ?? new Int32Array(0)) };
  }

  private topIds(feeder: BatchFeeder, part: Int32Array): tf.Tensor {
    return tf.tidy(() => tf.topk(lastState(this.logits(feeder.inputs(part))), Math.min(TOP_N, this.dims.items)).indices);
  }

  private rows(flat: Int32Array, count: number): Int32Array[] {
    const depth = Math.min(TOP_N, this.dims.items);
    return Array.from({ length: count }, (_, r) => flat.slice(r * depth, (r + 1) * depth));
  }

  dispose(): void {
    this.network.dispose();
  }
}
