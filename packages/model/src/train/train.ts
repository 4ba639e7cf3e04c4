// One fitness evaluation: build the DRNN from a chromosome, train it on the
// train split for at most R epochs under the fitness rule, and report every
// epoch. The weights of the rule's scored epoch (the best validation epoch
// under the default policy) are kept and restored at the end: the returned
// model, metrics and fitness all come from that epoch. Failures that are a
// property of the candidate (NaN loss, out of memory) end as fitness 0 with
// a reason, never as a crash.
import * as tf from "@tensorflow/tfjs";
import { Rng } from "@drnn/contract";
import { type Dataset, type SplitName } from "@drnn/data";
import type { BackendInfo } from "../backend.js";
import { DatasetMismatchError } from "../errors.js";
import type { BatchFeeder } from "../feed/batch.js";
import { DrnnModel, dimsFor } from "../model.js";
import { specFromChromosome, type ChromosomeInput } from "../spec.js";
import { backendMemoryLimit, trainingBytes } from "./memory.js";
import { evaluate } from "./evaluate.js";
import { BestWeights } from "./best-weights.js";
import { FitnessRule, fitnessOf, type FitnessRuleOptions, type RuleStop } from "./fitness.js";
import { readValues } from "../webgpu.js";
import { learningRateAt, makeOptimizer, setLearningRate, type StepDecay } from "./optimizer.js";

export interface EpochReport {
  epoch: number;
  trainLoss: number;
  valLoss: number;
  valAccuracy: number;
  seconds: number;
  samplesPerSecond: number;
  learningRate: number;
}

export type StopReason = RuleStop | "pruned" | "nan-loss" | "out-of-memory" | "aborted";

export interface TrainOptions {
  /** The fitness rule: policy, R, pi, patience (defaults: @drnn/ga's TRAINING_DEFAULTS). */
  rule: FitnessRuleOptions;
  /** Every random choice (init, shuffling, dropout) derives from it; no default, so no run is seeded by accident. */
  seed: number;
  /** The paper's decay is PAPER_STEP_DECAY (divide by 5 every 100 epochs); off by default. */
  stepDecay?: StepDecay;
  /** Stops at the next batch; the result says "aborted". */
  signal?: AbortSignal;
  onEpoch?: (report: EpochReport) => void;
  /**
   * Asked after each epoch training would continue past, with the best fit
   * so far; true stops it here as "pruned", scored at its best epoch
   * (successive halving across candidates decides this, outside the model).
   */
  shouldPrune?: (report: EpochReport, bestFitness: number) => boolean | Promise<boolean>;
  /** Train on a seeded random subset of this many samples per epoch (default: all). */
  trainSamplesPerEpoch?: number;
  /** Score validation on an evenly spread subset of this many samples (default: all). */
  validationSamples?: number;
  /** Recorded in the result; the caller chose it with selectBackend(). */
  backend?: BackendInfo;
  /** Keep the trained model in the result (the caller disposes it); default false. */
  keepModel?: boolean;
  /** Memory training may take; a chromosome estimated to need more fails as out-of-memory before it starts (default: the backend's, see memory.ts). */
  memoryLimitBytes?: number;
  /**
   * Fine-tune this model from its weights instead of building one from the
   * chromosome (the online loop). It stays the caller's: never disposed here,
   * and it holds the scored epoch's weights at the end.
   */
  start?: DrnnModel;
}

export interface TrainResult {
  fitness: number;
  /** Validation accuracy and loss of the scored epoch. */
  accuracy: number;
  loss: number;
  /** The scored epoch, whose weights the model holds; 0 when no epoch finished. */
  bestEpoch: number;
  converged: boolean;
  reason: StopReason;
  /** The error text behind nan-loss / out-of-memory. */
  detail?: string;
  epochs: EpochReport[];
  backend: string;
  device: string;
  samplesPerSecond: number;
  seconds: number;
  model?: DrnnModel;
}

export function splitSamples(d: Dataset, split: SplitName): Int32Array {
  const [from, to] = d.manifest.splits[split].samples;
  return Int32Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

function shuffled(samples: Int32Array, rng: Rng, take: number): Int32Array {
  const out = samples.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i + 1 - 1);
    const t = out[i] ?? 0;
    out[i] = out[j] ?? 0;
    out[j] = t;
  }
  return take < out.length ? out.subarray(0, take) : out;
}

function spread(samples: Int32Array, take: number | undefined): Int32Array {
  if (take === undefined || take >= samples.length) return samples;
  return Int32Array.from({ length: take }, (_, i) => samples[Math.floor((i * samples.length) / take)] ?? 0);
}

/** What running out of memory looks like on each backend; wasm's is an out-of-bounds access once its heap is full. */
export function isOutOfMemory(err: unknown): boolean {
  const text = err instanceof Error ? `${err.name} ${err.message}` : String(err);
  return /out of memory|OOM|allocation failed|Cannot allocate|Invalid typed array length|Array buffer allocation|memory access out of bounds|Maximum memory size exceeded|WebAssembly\.Memory/i.test(text);
}

class NanLossError extends Error {
  override readonly name = "NanLossError";
}
class AbortedError extends Error {
  override readonly name = "AbortedError";
}

interface EpochContext {
  model: DrnnModel;
  feeder: BatchFeeder;
  optimizer: tf.Optimizer;
  rng: Rng;
  signal: AbortSignal | undefined;
}

/** One pass over the (shuffled) train samples; returns the mean batch loss. */
async function trainEpoch(c: EpochContext, samples: Int32Array): Promise<number> {
  const vars = c.model.layer.trainables();
  const { batchSize, loss } = c.model.spec;
  let sum = 0;
  let batches = 0;
  for (let from = 0; from < samples.length; from += batchSize) {
    if (c.signal?.aborted === true) throw new AbortedError("aborted");
    const part = samples.subarray(from, from + batchSize);
    const seed = c.rng.int(0, 0x7fffffff - 1);
    const cost = tf.tidy((): tf.Scalar => {
      const slots = c.model.spec.pointer ? c.feeder.slots(part) : undefined;
      const x = c.feeder.inputs(part, slots);
      const t = c.feeder.targets(part, loss, slots);
      const value = c.optimizer.minimize(() => c.model.loss(x, t, { training: true, seed }), true, vars);
      return value ?? tf.scalar(Number.NaN);
    });
    // Read asynchronously: WebGPU cannot read synchronously in Node.
    const value = (await readValues(cost).finally(() => cost.dispose()))[0] ?? Number.NaN;
    if (!Number.isFinite(value)) throw new NanLossError(`training loss became ${value} in batch ${batches + 1}`);
    sum += value;
    batches++;
    // Let timers and the abort signal run between batches.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return batches === 0 ? 0 : sum / batches;
}

function reasonOf(err: unknown): StopReason | null {
  if (err instanceof NanLossError) return "nan-loss";
  if (err instanceof AbortedError) return "aborted";
  return isOutOfMemory(err) ? "out-of-memory" : null;
}

function memoryShortfall(chromosome: ChromosomeInput, dims: ReturnType<typeof dimsFor>, o: TrainOptions): string | undefined {
  const need = trainingBytes(specFromChromosome(chromosome), dims);
  const limit = o.memoryLimitBytes ?? backendMemoryLimit(o.backend?.backend ?? tf.getBackend());
  if (need <= limit) return undefined;
  return `training needs about ${Math.ceil(need / 2 ** 20)} MiB, the ${o.backend?.backend ?? tf.getBackend()} backend allows ${Math.floor(limit / 2 ** 20)} MiB`;
}

/** The result of a candidate failed before its model was built. */
function notStarted(detail: string, o: TrainOptions, began: number): TrainResult {
  return {
    fitness: 0, accuracy: 0, loss: Number.NaN, bestEpoch: 0, converged: false, reason: "out-of-memory", detail, epochs: [],
    backend: o.backend?.backend ?? tf.getBackend(), device: o.backend?.device ?? "unknown", samplesPerSecond: 0, seconds: (performance.now() - began) / 1000,
  };
}

const SCORED = new Set<StopReason>(["converged", "unsettled", "patience", "max-epochs", "pruned"]);

export async function trainModel(d: Dataset, chromosome: ChromosomeInput, o: TrainOptions): Promise<TrainResult> {
  const began = performance.now();
  const rng = Rng.fromSeed(o.seed);
  const rule = new FitnessRule(o.rule);
  const train = splitSamples(d, "train");
  const val = spread(splitSamples(d, "val"), o.validationSamples);
  if (train.length === 0 || val.length === 0) throw new DatasetMismatchError("the dataset needs samples in both the train and the val split");
  const tooBig = memoryShortfall(chromosome, dimsFor(d), o);
  if (tooBig !== undefined) return notStarted(tooBig, o, began);
  const model = o.start ?? DrnnModel.create(chromosome, dimsFor(d), rng.int(0, 0x7fffffff - 1));
  const owned = o.start === undefined;
  const optimizer = makeOptimizer(model.spec.optimizer, model.spec.learningRate);
  const c: EpochContext = { model, feeder: model.feeder(d), optimizer, rng, signal: o.signal };
  const best = new BestWeights(model.layer.trainables());
  const epochs: EpochReport[] = [];
  let reason: StopReason | undefined;
  let detail: string | undefined;
  let trained = 0;
  let trainSeconds = 0;
  try {
    for (let epoch = 1; reason === undefined; epoch++) {
      const learningRate = learningRateAt(model.spec.learningRate, epoch, o.stepDecay);
      setLearningRate(optimizer, learningRate);
      const t0 = performance.now();
      const samples = shuffled(train, rng, o.trainSamplesPerEpoch ?? train.length);
      const trainLoss = await trainEpoch(c, samples);
      const seconds = (performance.now() - t0) / 1000;
      trained += samples.length;
      trainSeconds += seconds;
      const v = await evaluate(model, c.feeder, val);
      if (!Number.isFinite(v.loss)) throw new NanLossError(`validation loss became ${v.loss}`);
      const report = { epoch, trainLoss, valLoss: v.loss, valAccuracy: v.accuracy, seconds, samplesPerSecond: samples.length / Math.max(seconds, 1e-9), learningRate };
      epochs.push(report);
      o.onEpoch?.(report);
      const verdict = rule.observe(v.accuracy, v.loss);
      if (verdict.keep) await best.keep();
      reason = verdict.stop;
      const scored = rule.best;
      if (reason === undefined && scored && o.shouldPrune && (await o.shouldPrune(report, fitnessOf(scored.accuracy, scored.loss)))) reason = "pruned";
    }
  } catch (err) {
    reason = reasonOf(err) ?? undefined;
    if (reason === undefined) {
      optimizer.dispose();
      if (owned) model.dispose();
      throw err;
    }
    detail = err instanceof Error ? err.message : String(err);
  }
  optimizer.dispose();
  const scored = SCORED.has(reason) ? rule.best : null;
  const keep = (o.keepModel === true || !owned) && scored !== null;
  if (keep) best.restore();
  else if (owned) model.dispose();
  return {
    fitness: scored === null ? 0 : rule.fitness(reason as RuleStop | "pruned"),
    accuracy: scored?.accuracy ?? 0,
    loss: scored?.loss ?? Number.NaN,
    bestEpoch: scored?.epoch ?? 0,
    converged: reason === "converged" || reason === "patience",
    reason,
    ...(detail === undefined ? {} : { detail }),
    epochs,
    backend: o.backend?.backend ?? tf.getBackend(),
    device: o.backend?.device ?? "unknown",
    samplesPerSecond: trained / Math.max(trainSeconds, 1e-9),
    seconds: (performance.now() - began) / 1000,
    ...(keep ? { model } : {}),
  };
}
