// BatchMatMul on wasm: XNNPACK's plain A*B runs about 30 GFLOP/s here, but
// with a transposed operand (what every backward pass asks for) it falls to
// 0.4-2 GFLOP/s. Transposing the operand first with the wasm Transpose kernel
// and then running the plain product made the DRNN step 5x faster.
import type * as tf from "@tensorflow/tfjs";
import type { KernelArgs, TensorInfo, WasmBackend } from "./types.js";

type WasmKernel = (args: KernelArgs<WasmBackend>) => TensorInfo;

/** Marks the replacement so registering twice is a no-op. */
export const FIXED_BATCH_MATMUL = "drnnTransposeFirstBatchMatMul";

function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

export function transposeFirstBatchMatMul(stock: tf.KernelConfig, transpose: tf.KernelConfig): tf.KernelConfig {
  const product = stock.kernelFunc as unknown as WasmKernel;
  const transposeFn = transpose.kernelFunc as unknown as WasmKernel;
  const kernelFunc = (args: KernelArgs<WasmBackend>): TensorInfo => {
    const { backend, attrs } = args;
    const temps: TensorInfo[] = [];
    const plain = (t: TensorInfo, transposed: unknown): TensorInfo => {
      if (transposed !== true) return t;
      const out = transposeFn({ inputs: { x: t }, backend, attrs: { perm: swapLastTwo(t.shape.length) } });
      temps.push(out);
      return out;
    };
    const a = plain(args.inputs["a"] as TensorInfo, attrs["transposeA"]);
    const b = plain(args.inputs["b"] as TensorInfo, attrs["transposeB"]);
    try {
      return product({ inputs: { a, b }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } });
    } finally {
      for (const t of temps) backend.disposeData(t.dataId);
    }
  };
  Object.defineProperty(kernelFunc, "name", { value: FIXED_BATCH_MATMUL });
  Object.defineProperty(kernelFunc, "replaced", { value: stock });
  return { ...stock, kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}
