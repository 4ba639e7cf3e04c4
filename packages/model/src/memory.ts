// What one candidate's training takes in memory, estimated from its genes
// before anything is allocated, and what a device offers: a worker checks
// both before a job starts, so a candidate that cannot fit ends as
// out-of-memory without taking the device (or its neighbours) down.
import { execFileSync } from "node:child_process";
import { totalmem } from "node:os";
import type { BackendInfo } from "./backend.js";
import { weightTable } from "./network/weights.js";
import { specFromChromosome, type ChromosomeInput, type ModelDims } from "./spec.js";

export interface TrainingFootprint {
  /** All buffers of one training run at once, in bytes (an upper-bound estimate). */
  bytes: number;
  /** The largest single tensor (the logits, or the biggest weight). */
  largestBufferBytes: number;
}

/** The validation batch of evaluate(), whose logits can outgrow the training batch's. */
const EVAL_BATCH = 512;
const FLOAT = 4;

export function trainingFootprint(chromosome: ChromosomeInput, dims: ModelDims): TrainingFootprint {
  const spec = specFromChromosome(chromosome);
  const weights = weightTable(spec, dims).map((w) => w.shape.reduce((a, b) => a * b, 1));
  const params = weights.reduce((a, b) => a + b, 0);
  const batch = Math.max(spec.batchSize, EVAL_BATCH);
  const states = spec.window + (spec.history ? 1 : 0);
  const hidden = batch * states * spec.layers.reduce((a, b) => a + b, 0);
  const logits = batch * spec.window * dims.items;
  const fnn = spec.fnnLayers > 0 ? batch * (dims.items + spec.fnnLayers * spec.fnnNeurons) : 0;
  // Weights, their gradients and two optimizer moments; activations and their gradients kept for
  // the backward pass; the logits several times over (shortcut sums, softmax, its gradient, the pointer's mix).
  const floats = 4 * params + 3 * hidden + 6 * logits + 2 * fnn;
  return { bytes: FLOAT * floats, largestBufferBytes: FLOAT * Math.max(logits, fnn, ...weights) };
}

export interface DeviceMemory {
  /** What the jobs of one worker may use together. */
  bytes: number;
  /** The largest buffer the device takes (WebGPU's binding limit); absent where only the total counts. */
  maxBufferBytes?: number;
  /** Where `bytes` came from, for the log. */
  source: string;
}

/** NVIDIA's total memory in bytes from nvidia-smi, where it exists. */
function nvidiaMemory(): number | undefined {
  try {
    const out = execFileSync("nvidia-smi", ["--query-gpu=memory.total", "--format=csv,noheader,nounits"], { encoding: "utf8", timeout: 5000 });
    const mib = Number(out.trim().split("\n")[0]);
    return Number.isFinite(mib) && mib > 0 ? mib * 2 ** 20 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The memory a worker on `backend` offers: `configuredBytes` (DRNN_WORKER_MEMORY_MB)
 * when given; on a real GPU the card's memory (nvidia-smi; WebGPU does not say);
 * else the host's RAM, which CPU backends and software adapters use.
 */
export function deviceMemory(backend: BackendInfo, configuredBytes?: number): DeviceMemory {
  const maxBuffer = backend.limits === undefined ? {} : { maxBufferBytes: backend.limits.maxBufferBytes };
  if (configuredBytes !== undefined) return { bytes: configuredBytes, ...maxBuffer, source: "DRNN_WORKER_MEMORY_MB" };
  if (backend.adapter !== undefined && !backend.adapter.software) {
    const gpu = /nvidia/i.test(`${backend.adapter.vendor} ${backend.adapter.device}`) ? nvidiaMemory() : undefined;
    if (gpu !== undefined) return { bytes: gpu, ...maxBuffer, source: "nvidia-smi memory.total" };
  }
  return { bytes: totalmem(), ...maxBuffer, source: "host RAM" };
}

/** Why `need` cannot run on `memory` at all, or undefined when it fits an idle device. */
export function memoryRefusal(need: TrainingFootprint, memory: DeviceMemory): string | undefined {
  const mib = (b: number) => `${Math.ceil(b / 2 ** 20)} MiB`;
  if (memory.maxBufferBytes !== undefined && need.largestBufferBytes > memory.maxBufferBytes) {
    return `its largest tensor needs ${mib(need.largestBufferBytes)}, the device's buffers take at most ${mib(memory.maxBufferBytes)}`;
  }
  if (need.bytes > memory.bytes) return `training needs about ${mib(need.bytes)}, the device has ${mib(memory.bytes)} (${memory.source})`;
  return undefined;
}
