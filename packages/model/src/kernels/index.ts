// Registers the fixed kernels for one backend. Called from backend.ts only,
// after the backend is set, so importing the model package changes nothing.
import * as tf from "@tensorflow/tfjs";
import { BLAS_BATCH_MATMUL, blasBatchMatMulCpu, blasBatchMatMulWasm, type OpenBlas } from "./blas-batch-matmul.js";
import { segmentSumKernel } from "./segment-sum.js";
import { FUSED_KERNEL_NAMES, fusedKernelConfigs } from "./fused.js";
import { jsFusedKernels, type FusedKernels } from "./fused-js.js";
import { FIXED_BATCH_MATMUL, transposeFirstBatchMatMul } from "./wasm-batch-matmul.js";
import { FIXED_GATHER, rowCopyGather } from "./wasm-gather.js";
import { sharedCast, sharedIdentity } from "./wasm-identity.js";
import { heapSlice } from "./wasm-slice.js";
import { leadingAxesSum } from "./wasm-reduce.js";
import { bufferSafeTranspose } from "./webgpu-transpose.js";

export { loadOpenBlas, type OpenBlas } from "./blas-batch-matmul.js";
export { RECURRENCE, RECURRENCE_GRAD } from "./fused-recurrence.js";
export { BAG_SUM, BAG_SUM_GRAD, BIAS_ACT, BIAS_ACT_GRAD, DROPOUT_MASK, FUSED_ADAM, hasFusedKernel, SOFTMAX_XENT, SOFTMAX_XENT_GRAD } from "./fused.js";
export { ACTIVATION_CODES, jsFusedKernels, type ActivationCode, type AdamHyper, type FusedKernels } from "./fused-js.js";
export { loadNativeKernels, NATIVE_LIBRARY } from "./native.js";

function replace(config: tf.KernelConfig): void {
  if (tf.getKernel(config.kernelName, config.backendName) !== undefined) tf.unregisterKernel(config.kernelName, config.backendName);
  tf.registerKernel(config);
}

/** The kernel a replacement (or the kernel timer) wraps, down to the one TF.js registered. */
function original(config: tf.KernelConfig): tf.KernelConfig {
  let f = config.kernelFunc as unknown as { inner?: unknown; replaced?: tf.KernelConfig };
  // The kernel timer's wrapper keeps the function it times in `inner`.
  while (f.inner !== undefined) f = f.inner as typeof f;
  if (f.replaced !== undefined) return original(f.replaced);
  return { ...config, kernelFunc: f as unknown as tf.KernelFunc };
}

/** Replaces the stock kernel `name` on `backend` with `make(stock)`; false when there is none. */
function wrapStock(name: string, backend: string, make: (stock: tf.KernelConfig) => tf.KernelConfig): boolean {
  const current = tf.getKernel(name, backend);
  if (current === undefined) return false;
  replace(make(original(current)));
  return true;
}

/**
 * Returns the kernels it replaced or added, for the record. With `blas`
 * (OpenBLAS loaded through koffi) BatchMatMul runs cblas_sgemm and the pure
 * kernel (wasm: transpose first; cpu: stock) stays as its fallback. The fused
 * training kernels run `fused` (native or JavaScript).
 */
export function registerFixedKernels(backendName: string, blas: OpenBlas | undefined, fused: FusedKernels | undefined): string[] {
  if (backendName === "webgpu") return registerWebGpuFixes();
  if (backendName !== "cpu" && backendName !== "wasm") return [];
  const stockFixes = registerStockFixes(backendName, blas, fused ?? jsFusedKernels);
  // Registration is global per backend: without `fused` an earlier registration is undone, so the ops compose stock kernels.
  // The recurrence kernels exist only with OpenBLAS; whatever this call does not register is unregistered.
  const configs = fused === undefined ? [] : fusedKernelConfigs(backendName, fused, blas?.sgemm);
  for (const name of FUSED_KERNEL_NAMES) {
    const config = configs.find((c) => c.kernelName === name);
    if (config !== undefined) replace(config);
    else if (tf.getKernel(name, backendName) !== undefined) tf.unregisterKernel(name, backendName);
  }
  return fused === undefined ? stockFixes : [...stockFixes, `${configs.map((c) => c.kernelName).join(", ")} (${fused.source})`];
}

/** webgpu runs the stock TF.js ops (no fused kernels are registered for it); only a broken stock kernel is replaced. */
function registerWebGpuFixes(): string[] {
  const [cast, add] = [tf.getKernel(tf.Cast, "webgpu"), tf.getKernel(tf.Add, "webgpu")];
  if (cast === undefined || add === undefined) return [];
  const parts = { cast: original(cast), add: original(add) };
  if (!wrapStock(tf.Transpose, "webgpu", (transpose) => bufferSafeTranspose({ ...parts, transpose }))) return [];
  return ["Transpose (int32/bool buffers through float32)"];
}

/** `loops` runs the segment sum and the leading-axes Sum (the native library's loops or JavaScript's). */
function registerStockFixes(backendName: "cpu" | "wasm", blas: OpenBlas | undefined, loops: FusedKernels): string[] {
  if (backendName === "cpu") {
    replace(segmentSumKernel("cpu", loops));
    const current = tf.getKernel(tf.BatchMatMul, "cpu");
    if (current === undefined) return ["UnsortedSegmentSum"];
    const stock = original(current);
    replace(blas === undefined ? stock : blasBatchMatMulCpu(stock, blas));
    return blas === undefined ? ["UnsortedSegmentSum"] : ["UnsortedSegmentSum", "BatchMatMul (OpenBLAS)"];
  }
  replace(segmentSumKernel("wasm", loops));
  const current = tf.getKernel(tf.BatchMatMul, "wasm");
  const transpose = tf.getKernel(tf.Transpose, "wasm");
  const fixed: string[] = ["UnsortedSegmentSum"];
  if (current !== undefined && transpose !== undefined) {
    const pure = transposeFirstBatchMatMul(original(current), original(transpose));
    replace(blas === undefined ? pure : blasBatchMatMulWasm(pure, blas));
    fixed.push(blas === undefined ? "BatchMatMul (transpose first)" : "BatchMatMul (OpenBLAS)");
  }
  const gather = tf.getKernel(tf.GatherV2, "wasm");
  if (gather !== undefined) replace(rowCopyGather(original(gather)));
  fixed.push("GatherV2");
  if (wrapStock(tf.Sum, "wasm", (stock) => leadingAxesSum(stock, loops))) fixed.push("Sum");
  if (wrapStock(tf.Identity, "wasm", sharedIdentity) && wrapStock(tf.Cast, "wasm", sharedCast)) fixed.push("Identity, Cast (shared buffers)");
  if (wrapStock(tf.Slice, "wasm", heapSlice)) fixed.push("Slice (contiguous, heap to heap)");
  return fixed;
}

export { BLAS_BATCH_MATMUL, FIXED_BATCH_MATMUL, FIXED_GATHER };
