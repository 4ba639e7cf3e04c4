// UnsortedSegmentSum, the gradient of gather (so of every embedding lookup).
// The stock cpu kernel runs several kernels per segment and stalls training
// on a 3,000-page vocabulary; the wasm backend has no kernel at all. Both are
// replaced by one direct loop: out[ids[i]] += x[i].
import * as tf from "@tensorflow/tfjs";
import type { FusedKernels } from "./fused-js.js";
import type { CpuBackend, KernelArgs, TensorInfo, WasmBackend } from "./types.js";

interface SegmentSumProblem {
  outShape: number[];
  inner: number;
  numSegments: number;
}

function problem(x: TensorInfo, ids: TensorInfo, numSegments: number): SegmentSumProblem {
  const rest = x.shape.slice(ids.shape.length);
  return { outShape: [numSegments, ...rest], inner: rest.reduce((a, b) => a * b, 1), numSegments };
}

/**
 * The loop both backends share; ids outside [0, numSegments) are dropped, as
 * in TensorFlow. Float32 values with int32 ids (every embedding gradient) run
 * the fused kernels' loop, native where it loaded.
 */
function segmentSumInto(out: Float32Array | Int32Array, x: ArrayLike<number>, ids: ArrayLike<number>, p: SegmentSumProblem, k: FusedKernels): void {
  if (out instanceof Float32Array && x instanceof Float32Array && ids instanceof Int32Array) {
    k.segmentSum(x, ids, ids.length, p.inner, p.numSegments, out);
    return;
  }
  out.fill(0);
  for (let i = 0; i < ids.length; i++) {
    const seg = ids[i] ?? -1;
    if (seg < 0 || seg >= p.numSegments) continue;
    const o = seg * p.inner;
    const src = i * p.inner;
    for (let j = 0; j < p.inner; j++) out[o + j] = (out[o + j] ?? 0) + (x[src + j] ?? 0);
  }
}

const wasmSegmentSum = (k: FusedKernels) => ({ inputs, backend, attrs }: KernelArgs<WasmBackend>): TensorInfo => {
  const x = inputs["x"] as TensorInfo;
  const ids = inputs["segmentIds"] as TensorInfo;
  const p = problem(x, ids, attrs["numSegments"] as number);
  // Allocate first, then take heap views: allocation may grow the heap and detach older views.
  const out = backend.makeOutput(p.outShape, x.dtype);
  const outView = backend.typedArrayFromHeap(out) as Float32Array | Int32Array;
  segmentSumInto(outView, backend.typedArrayFromHeap(x), backend.typedArrayFromHeap(ids), p, k);
  return out;
};

const cpuSegmentSum = (k: FusedKernels) => ({ inputs, backend, attrs }: KernelArgs<CpuBackend>): TensorInfo => {
  const x = inputs["x"] as TensorInfo;
  const ids = inputs["segmentIds"] as TensorInfo;
  const p = problem(x, ids, attrs["numSegments"] as number);
  const size = p.outShape.reduce((a, b) => a * b, 1);
  const out = x.dtype === "int32" ? new Int32Array(size) : new Float32Array(size);
  segmentSumInto(out, backend.data.get(x.dataId).values, backend.data.get(ids.dataId).values, p, k);
  return backend.makeTensorInfo(p.outShape, x.dtype, out);
};

export function segmentSumKernel(backendName: "wasm" | "cpu", k: FusedKernels): tf.KernelConfig {
  const kernelFunc = backendName === "wasm" ? wasmSegmentSum(k) : cpuSegmentSum(k);
  return { kernelName: tf.UnsortedSegmentSum, backendName, kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}
