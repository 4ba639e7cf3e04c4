// A trained model as one directory: model.json + weights.bin (the standard
// TF.js layers format, loadable with tf.loadLayersModel once
// registerDrnnLayers() has run), drnn.json (chromosome, spec, sizes, where it
// was trained) and the vocabularies, so a server needs nothing else.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import type { Dataset } from "@drnn/data";
import { ModelArtifactError } from "./errors.js";
import { DrnnModel } from "./model.js";
import { registerDrnnLayers } from "./network/drnn-layer.js";
import type { ChromosomeInput, ModelDims, ModelSpec } from "./spec.js";

export const MODEL_FILES = {
  topology: "model.json",
  weights: "weights.bin",
  meta: "drnn.json",
  pages: "pages.txt",
  items: "items.txt",
  pageItems: "page-items.json",
  itemCounts: "item-train-counts.json",
} as const;
/** 2: every item rankable, the copy mechanism (its weights, dims.copySlots) and the items' training counts. */
export const MODEL_ARTIFACT_VERSION = 2;

export interface ModelMeta {
  kind: "drnn-model";
  version: number;
  chromosome: ChromosomeInput;
  spec: ModelSpec;
  dims: ModelDims;
  /** The dataset it was trained on. */
  dataset?: { contentHash: string; window: number };
  /** Free-form facts about the run (backend, fitness, ...). */
  training?: Record<string, unknown>;
}

export interface Vocabularies {
  pages: string[];
  items: string[];
  /** Page id -> item id, -1 where the page shows no item. */
  pageItems: number[];
  /** Per item id: views and purchases in the training period (the copy slots' popularity features). */
  itemTrainCounts: { views: number[]; buys: number[] };
}

/** A tf.io handler that reads and writes model.json + weights.bin in a directory (what tfjs-node's file:// does). */
export function directoryHandler(dir: string): tf.io.IOHandler {
  return {
    save: async (artifacts) => {
      mkdirSync(dir, { recursive: true });
      const data = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      writeFileSync(join(dir, MODEL_FILES.weights), Buffer.from(data));
      const json = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format ?? "layers-model",
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: [MODEL_FILES.weights], weights: artifacts.weightSpecs ?? [] }],
      };
      writeFileSync(join(dir, MODEL_FILES.topology), JSON.stringify(json));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    load: async () => {
      const path = join(dir, MODEL_FILES.topology);
      if (!existsSync(path)) throw new ModelArtifactError(`${dir} has no ${MODEL_FILES.topology}`);
      const json = JSON.parse(readFileSync(path, "utf8")) as { modelTopology: object; format?: string; weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[] };
      const buffers = json.weightsManifest.flatMap((g) => g.paths.map((p) => readFileSync(join(dir, p))));
      const joined = Buffer.concat(buffers);
      return {
        modelTopology: json.modelTopology,
        format: json.format ?? "layers-model",
        weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
        weightData: joined.buffer.slice(joined.byteOffset, joined.byteOffset + joined.length),
      };
    },
  };
}

export function vocabulariesOf(d: Dataset): Vocabularies {
  return {
    pages: d.pages,
    items: d.items,
    pageItems: Array.from(d.columns.pageItems),
    itemTrainCounts: { views: Array.from(d.columns.itemTrainViews), buys: Array.from(d.columns.itemTrainBuys) },
  };
}

const lines = (xs: readonly string[]): string => xs.map((s) => s.replace(/[\r\n]/g, " ")).join("\n") + "\n";

export async function saveModel(model: DrnnModel, dir: string, extra: { vocabularies?: Vocabularies; dataset?: Dataset; training?: Record<string, unknown> } = {}): Promise<void> {
  await model.network.save(directoryHandler(dir));
  const meta: ModelMeta = { kind: "drnn-model", version: MODEL_ARTIFACT_VERSION, chromosome: model.chromosome, spec: model.spec, dims: model.dims };
  if (extra.dataset !== undefined) meta.dataset = { contentHash: extra.dataset.manifest.contentHash, window: extra.dataset.manifest.options.window };
  if (extra.training !== undefined) meta.training = extra.training;
  writeFileSync(join(dir, MODEL_FILES.meta), JSON.stringify(meta, null, 2) + "\n");
  const vocab = extra.vocabularies ?? (extra.dataset === undefined ? undefined : vocabulariesOf(extra.dataset));
  if (vocab !== undefined) {
    writeFileSync(join(dir, MODEL_FILES.pages), lines(vocab.pages));
    writeFileSync(join(dir, MODEL_FILES.items), lines(vocab.items));
    writeFileSync(join(dir, MODEL_FILES.pageItems), JSON.stringify(vocab.pageItems));
    writeFileSync(join(dir, MODEL_FILES.itemCounts), JSON.stringify(vocab.itemTrainCounts));
  }
}

function readLines(path: string): string[] {
  const text = readFileSync(path, "utf8");
  return text.length === 0 ? [] : text.slice(0, -1).split("\n");
}

export interface LoadedModel {
  model: DrnnModel;
  meta: ModelMeta;
  vocabularies: Vocabularies | undefined;
}

export async function loadModel(dir: string): Promise<LoadedModel> {
  const metaPath = join(dir, MODEL_FILES.meta);
  if (!existsSync(metaPath)) throw new ModelArtifactError(`${dir} has no ${MODEL_FILES.meta}: not a saved DRNN model`);
  const meta = JSON.parse(readFileSync(metaPath, "utf8")) as ModelMeta;
  if (meta.kind !== "drnn-model" || meta.version !== MODEL_ARTIFACT_VERSION) throw new ModelArtifactError(`${dir}: unsupported model kind/version ${meta.kind}/${meta.version}`);
  registerDrnnLayers();
  const network = await tf.loadLayersModel(directoryHandler(dir));
  const hasVocab = existsSync(join(dir, MODEL_FILES.pages));
  const vocabularies = hasVocab
    ? {
        pages: readLines(join(dir, MODEL_FILES.pages)),
        items: readLines(join(dir, MODEL_FILES.items)),
        pageItems: JSON.parse(readFileSync(join(dir, MODEL_FILES.pageItems), "utf8")) as number[],
        itemTrainCounts: JSON.parse(readFileSync(join(dir, MODEL_FILES.itemCounts), "utf8")) as Vocabularies["itemTrainCounts"],
      }
    : undefined;
  return { model: new DrnnModel(network, meta.chromosome, meta.spec, meta.dims), meta, vocabularies };
}
