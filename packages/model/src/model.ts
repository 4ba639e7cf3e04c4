// A DRNN built from a chromosome: the TF.js LayersModel plus what it was
// built from. Prediction and the Ranker for the metrics live here.
import * as tf from "@tensorflow/tfjs";
import type { Dataset } from "@drnn/data";
import { DatasetMismatchError } from "./errors.js";
import { BatchFeeder } from "./feed/batch.js";
import { buildNetwork, drnnLayerOf } from "./network/build.js";
import type { DrnnLayer } from "./network/drnn-layer.js";
import { drnnForward, lastState, type ForwardOptions } from "./network/forward.js";
import type { DrnnInputs } from "./network/inputs.js";
import { TOP_N, type Ranker } from "./metrics/index.js";
import { DEFAULT_HISTORY_BAG, DEFAULT_PURCHASE_BAG, specFromChromosome, type ChromosomeInput, type ModelDims, type ModelSpec } from "./spec.js";


/** The model's sizes for a prepared dataset. */
export function dimsFor(d: Dataset, bags: Partial<Pick<ModelDims, "historyBag" | "purchaseBag">> = {}): ModelDims {
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
    const depth = Math.min(TOP_N, this.dims.items);
    return {
      rank: (samples) => {
        const out: Int32Array[] = [];
        for (let from = 0; from < samples.length; from += batchSize) {
          const part = samples.subarray(from, from + batchSize);
          const ids = tf.tidy(() => {
            const x = feeder.inputs(part);
            return tf.topk(lastState(this.logits(x)), depth).indices;
          });
          const flat = ids.dataSync() as Int32Array;
          ids.dispose();
          for (let r = 0; r < part.length; r++) out.push(flat.slice(r * depth, (r + 1) * depth));
        }
        return out;
      },
    };
  }

  dispose(): void {
    this.network.dispose();
  }
}
