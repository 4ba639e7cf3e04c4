// Slice on wasm when the slice is one contiguous run of the input (a block of
// leading rows: each state of a state-major tensor, each layer of the fused
// recurrence's output). The stock kernel first reads the WHOLE input out of
// the wasm heap into a fresh JS array (readSync copies), then copies the
// slice: 3 ms per call on the recurrence's output, and garbage for the GC.
// Here the slice is copied heap to heap. Other slices go to the stock kernel.
import * as tf from "@tensorflow/tfjs";
import type { KernelArgs, TensorInfo, WasmBackend } from "./types.js";

type WasmKernel = (args: KernelArgs<WasmBackend>) => TensorInfo;

/** [begin, size] with -1 sizes resolved, as TF.js's parseSliceParams does. */
function resolve(x: TensorInfo, begin: number[], size: number[]): { begin: number[]; size: number[] } {
  const b = x.shape.map((_, i) => begin[i] ?? 0);
  const s = x.shape.map((d, i) => {
    const v = size[i] ?? -1;
    return v === -1 ? d - (b[i] as number) : v;
  });
  return { begin: b, size: s };
}

export function heapSlice(stock: tf.KernelConfig): tf.KernelConfig {
  const fallback = stock.kernelFunc as unknown as WasmKernel;
  const kernelFunc = (args: KernelArgs<WasmBackend>): TensorInfo => {
    const x = args.inputs["x"] as TensorInfo;
    const { begin, size } = resolve(x, args.attrs["begin"] as number[], args.attrs["size"] as number[]);
    if (x.dtype === "string" || !tf.slice_util.isSliceContinous(x.shape, begin, size)) return fallback(args);
    const offset = tf.slice_util.computeFlatOffset(begin, tf.util.computeStrides(x.shape));
    const count = size.reduce((a, b) => a * b, 1);
    // Allocate first, then take heap views: allocation may grow the heap and detach older views.
    const out = args.backend.makeOutput(size, x.dtype);
    const dst = args.backend.typedArrayFromHeap(out);
    dst.set(args.backend.typedArrayFromHeap(x).subarray(offset, offset + count));
    return out;
  };
  Object.defineProperty(kernelFunc, "name", { value: "drnnHeapSlice" });
  Object.defineProperty(kernelFunc, "replaced", { value: stock });
  return { ...stock, kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}
