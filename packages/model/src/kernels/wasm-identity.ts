// Identity and same-dtype Cast on wasm share the input's buffer instead of
// copying it. The tape clones every tensor it saves for the backward pass
// (214 Identity calls, 6-8 ms per DRNN training step), and the gradient of
// every multiply casts float32 to float32. Tensors are immutable and every
// kernel writes fresh outputs, so sharing is what the cpu backend does too.
import type * as tf from "@tensorflow/tfjs";
import type { KernelArgs, TensorInfo, WasmBackend } from "./types.js";

type WasmKernel = (args: KernelArgs<WasmBackend>) => TensorInfo;

function share(backend: WasmBackend, x: TensorInfo): TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

function mark(kernelFunc: unknown, stock: tf.KernelConfig): tf.KernelFunc {
  Object.defineProperty(kernelFunc, "name", { value: `drnnShared${stock.kernelName}` });
  Object.defineProperty(kernelFunc, "replaced", { value: stock });
  return kernelFunc as tf.KernelFunc;
}

/** Identity (strings still go to the stock kernel). */
export function sharedIdentity(stock: tf.KernelConfig): tf.KernelConfig {
  const fallback = stock.kernelFunc as unknown as WasmKernel;
  const kernelFunc = (args: KernelArgs<WasmBackend>): TensorInfo => {
    const x = args.inputs["x"] as TensorInfo;
    return x.dtype === "string" ? fallback(args) : share(args.backend, x);
  };
  return { ...stock, kernelFunc: mark(kernelFunc, stock) };
}

/** Cast to the dtype the tensor already has. */
export function sharedCast(stock: tf.KernelConfig): tf.KernelConfig {
  const fallback = stock.kernelFunc as unknown as WasmKernel;
  const kernelFunc = (args: KernelArgs<WasmBackend>): TensorInfo => {
    const x = args.inputs["x"] as TensorInfo;
    return args.attrs["dtype"] === x.dtype && x.dtype !== "string" ? share(args.backend, x) : fallback(args);
  };
  return { ...stock, kernelFunc: mark(kernelFunc, stock) };
}
