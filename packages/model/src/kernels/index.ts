// Registers the fixed kernels for one backend. Called from backend.ts only,
// after the backend is set, so importing the model package changes nothing.
import * as tf from "@tensorflow/tfjs";
import { segmentSumKernel } from "./segment-sum.js";
import { FIXED_BATCH_MATMUL, transposeFirstBatchMatMul } from "./wasm-batch-matmul.js";
import { FIXED_GATHER, rowCopyGather } from "./wasm-gather.js";

function replace(config: tf.KernelConfig): void {
  if (tf.getKernel(config.kernelName, config.backendName) !== undefined) tf.unregisterKernel(config.kernelName, config.backendName);
  tf.registerKernel(config);
}

/** Returns the kernels it replaced, for the record. */
export function registerFixedKernels(backendName: string): string[] {
  if (backendName === "cpu") {
    replace(segmentSumKernel("cpu"));
    return ["UnsortedSegmentSum"];
  }
  if (backendName !== "wasm") return [];
  replace(segmentSumKernel("wasm"));
  const stock = tf.getKernel(tf.BatchMatMul, "wasm");
  const transpose = tf.getKernel(tf.Transpose, "wasm");
  if (stock !== undefined && transpose !== undefined && stock.kernelFunc.name !== FIXED_BATCH_MATMUL) {
    replace(transposeFirstBatchMatMul(stock, transpose));
  }
  const gather = tf.getKernel(tf.GatherV2, "wasm");
  if (gather !== undefined && gather.kernelFunc.name !== FIXED_GATHER) replace(rowCopyGather(gather));
  return ["UnsortedSegmentSum", "BatchMatMul", "GatherV2"];
}
