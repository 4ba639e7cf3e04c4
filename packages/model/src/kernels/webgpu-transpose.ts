// Transpose on webgpu for tensors whose buffer holds int32 or bool. TF.js
// 4.22's general TransposeProgram hands the raw element to setOutputAtIndex,
// which takes f32, so an i32 buffer fails to compile ("type mismatch for
// argument 2 in call to 'setOutputAtIndex'") and the device is left with
// invalid commands. It bites float32 tensors too: an int32 -> float32 Cast
// only relabels the buffer (no precision is lost), so the buffer stays i32.
// The DRNN casts int32 ids and transposes them. Such buffers are first
// turned into real float32 by an Add of 0 (binary ops read through a
// converting getter), exact for integers below 2^24; float32 buffers keep the
// stock kernel.
import type * as tf from "@tensorflow/tfjs";
import type { KernelArgs, TensorInfo } from "./types.js";

interface WebGpuBackend {
  disposeData(dataId: object): boolean;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): TensorInfo;
  tensorMap: { get(dataId: object): { dtype: tf.DataType } };
}

type Kernel = (args: KernelArgs<WebGpuBackend>) => TensorInfo;

export interface TransposeParts {
  transpose: tf.KernelConfig;
  cast: tf.KernelConfig;
  add: tf.KernelConfig;
}

export function bufferSafeTranspose(stock: TransposeParts): tf.KernelConfig {
  const transpose = stock.transpose.kernelFunc as unknown as Kernel;
  const cast = stock.cast.kernelFunc as unknown as Kernel;
  const add = stock.add.kernelFunc as unknown as Kernel;
  const kernelFunc = (args: KernelArgs<WebGpuBackend>): TensorInfo => {
    const x = args.inputs["x"] as TensorInfo;
    const b = args.backend;
    if (b.tensorMap.get(x.dataId).dtype === "float32" || x.dtype === "complex64" || x.dtype === "string") return transpose(args);
    const temps: TensorInfo[] = [];
    const keep = (t: TensorInfo) => (temps.push(t), t);
    const labelled = x.dtype === "float32" ? x : keep(cast({ inputs: { x }, backend: b, attrs: { dtype: "float32" } }));
    const zero = keep(b.makeTensorInfo([], "float32", new Float32Array(1)));
    const real = keep(add({ inputs: { a: labelled, b: zero }, backend: b, attrs: {} }));
    const moved = transpose({ ...args, inputs: { x: real } });
    const out = x.dtype === "float32" ? moved : cast({ inputs: { x: keep(moved) }, backend: b, attrs: { dtype: x.dtype } });
    for (const t of temps) b.disposeData(t.dataId);
    return out;
  };
  Object.defineProperty(kernelFunc, "replaced", { value: stock.transpose });
  return { ...stock.transpose, kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}
