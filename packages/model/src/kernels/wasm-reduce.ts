// Sum over leading axes on wasm (every bias gradient; [B*k, N] -> [N] took
// 15 ms of a 196 ms step once BatchMatMul ran on OpenBLAS): the stock kernel
// transposes the whole input first, then reduces; here rows are added into
// the output in one contiguous pass (the native library's loop where it
// loaded, else JavaScript). Other axes and dtypes go to stock.
import type * as tf from "@tensorflow/tfjs";
import type { FusedKernels } from "./fused-js.js";
import type { KernelArgs, TensorInfo, WasmBackend } from "./types.js";

type WasmKernel = (args: KernelArgs<WasmBackend>) => TensorInfo;

export const FIXED_SUM = "drnnLeadingAxesSum";

function mark(kernelFunc: unknown, name: string, stock: tf.KernelConfig): tf.KernelFunc {
  Object.defineProperty(kernelFunc, "name", { value: name });
  Object.defineProperty(kernelFunc, "replaced", { value: stock });
  return kernelFunc as tf.KernelFunc;
}

/** The number of leading axes reduced, or undefined unless `axis` is exactly 0..r-1 with r < rank. */
export function leadingAxes(axis: unknown, rank: number): number | undefined {
  const list = (Array.isArray(axis) ? axis : [axis]).map((a) => (typeof a === "number" && a < 0 ? a + rank : a));
  if (list.length === 0 || list.length >= rank) return undefined;
  const sorted = [...new Set(list)].sort((a, b) => (a as number) - (b as number));
  if (sorted.length !== list.length) return undefined;
  return sorted.every((a, i) => a === i) ? sorted.length : undefined;
}

export function leadingAxesSum(stock: tf.KernelConfig, k: FusedKernels): tf.KernelConfig {
  const fallback = stock.kernelFunc as unknown as WasmKernel;
  const kernelFunc = (args: KernelArgs<WasmBackend>): TensorInfo => {
    const { backend, attrs } = args;
    const x = args.inputs["x"] as TensorInfo;
    const lead = leadingAxes(attrs["axis"], x.shape.length);
    if (lead === undefined || x.dtype !== "float32") return fallback(args);
    const rest = x.shape.slice(lead);
    const inner = rest.reduce((a, b) => a * b, 1);
    const rows = x.shape.slice(0, lead).reduce((a, b) => a * b, 1);
    const outShape = attrs["keepDims"] === true ? [...x.shape.slice(0, lead).map(() => 1), ...rest] : rest;
    // Allocate first, then take heap views: allocation may grow the heap and detach older views.
    const out = backend.makeOutput(outShape, "float32");
    const dst = backend.typedArrayFromHeap(out) as Float32Array;
    const src = backend.typedArrayFromHeap(x) as Float32Array;
    k.sumRows(src, rows, inner, dst);
    return out;
  };
  return { ...stock, kernelFunc: mark(kernelFunc, FIXED_SUM, stock) };
}
