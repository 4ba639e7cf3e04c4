// Whether a candidate fits the backend before anything is allocated. A
// WebAssembly heap that runs out does not throw a clean error: the next kernel
// fails with "memory access out of bounds" and the backend is unusable for
// every later model in that thread. So a chromosome whose training would not
// fit is failed up front as out-of-memory, and the worker still goes on.
import { totalmem } from "node:os";
import type { ModelDims, ModelSpec } from "../spec.js";
import { weightTable } from "../network/weights.js";

/** A wasm32 heap holds at most 4 GiB; leave room for the backend's own buffers. */
const WASM_HEAP_BYTES = 3.5 * 2 ** 30;

/** Backend -> the memory training may take there: wasm's heap, elsewhere half the machine's memory. */
export function backendMemoryLimit(backend: string): number {
  return backend === "wasm" ? WASM_HEAP_BYTES : totalmem() / 2;
}

/**
 * A rough upper estimate of training's float32 memory: every weight four
 * times (value, gradient, two Adam moments) plus a batch's activations and
 * their gradients (hidden states of every state, the k x N output and its softmax).
 */
export function trainingBytes(spec: ModelSpec, dims: ModelDims): number {
  const params = weightTable(spec, dims).reduce((sum, e) => sum + e.shape.reduce((a, b) => a * b, 1), 0);
  const states = spec.window + (spec.history ? 1 : 0);
  const hidden = spec.layers.reduce((a, b) => a + b, 0);
  const fnn = spec.fnnLayers * spec.fnnNeurons;
  const activations = spec.batchSize * (4 * states * hidden + 3 * spec.window * dims.items + 2 * fnn);
  return 4 * (4 * params + activations);
}
